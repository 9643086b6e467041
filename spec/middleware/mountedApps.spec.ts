import request from 'supertest';
import { getRequestContext } from '../../index';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';
import { samples } from '../fixtures/metricsScrape';

afterEach(closeAll);

describe.each(expressVersions)('an app mounted inside another app on %s', (_name, express) => {
  function build(shared: boolean) {
    const outer = testObservability({ serviceName: 'site', metrics: { defaultMetrics: false } });
    const inner = shared ? outer : testObservability({ serviceName: 'blog', metrics: { defaultMetrics: false } });
    const blog = express();
    blog.use(inner.obs.middleware({ routes: true }));
    blog.get('/posts/:postId', (req: any, res: any) => {
      inner.obs.logger.info('post read', { postId: req.params.postId });
      res.json({ requestId: getRequestContext()?.requestId });
    });
    const parent = express();
    parent.use(outer.obs.middleware({ routes: true }));
    parent.use('/blog/:lang', blog);
    return { parent, outer, inner };
  }

  it.each([
    ['its own instance', false],
    ['the same instance', true],
  ])('with %s: one request id and the full route template', async (_label, shared) => {
    const { parent, outer, inner } = build(shared as boolean);
    const res = await request(parent).get('/blog/en/posts/7').set('x-request-id', 'req-mounted-1').expect(200);
    expect(res.headers['x-request-id']).toBe('req-mounted-1');
    expect(res.body).toEqual({ requestId: 'req-mounted-1' });

    const scrape = (await request(parent).get('/metrics').expect(200)).text;
    const routes = samples(scrape, 'http_requests_total').map((s) => s.labels.route);
    expect(routes).toEqual(['/blog/:lang/posts/:postId']);

    const lines = [...outer.logs.entries, ...(shared ? [] : inner.logs.entries)];
    const access = lines.filter((l) => l.message === 'request completed');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ 'http.route': '/blog/:lang/posts/:postId', request_id: 'req-mounted-1' });
    const read = lines.find((l) => l.message === 'post read');
    expect(read).toMatchObject({ request_id: 'req-mounted-1', trace_id: access[0]!.trace_id });
  });

  it('a generated request id is the same for the outer and the inner middleware', async () => {
    const { parent, outer } = build(false);
    const res = await request(parent).get('/blog/de/posts/8').expect(200);
    const access = outer.logs.entries.find((l) => l.message === 'request completed');
    expect(res.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(access).toMatchObject({ request_id: res.body.requestId });
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
  });

  it("the inner app still answers its own instance's routes", async () => {
    const { parent } = build(false);
    const res = await request(parent).get('/blog/en/health/live').expect(200);
    expect(res.body.status).toBeDefined();
  });
});
