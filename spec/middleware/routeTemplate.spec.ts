import request from 'supertest';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';
import { samples } from '../fixtures/metricsScrape';

afterEach(closeAll);

const ok = (_req: unknown, res: { json(b: unknown): void }) => res.json({ ok: true });

describe.each(expressVersions)('route label on %s', (name, express) => {
  const v5 = name === 'express 5';

  async function routesAfter(build: (app: any) => void, paths: string[]): Promise<string[]> {
    const { obs } = testObservability({ metrics: { defaultMetrics: false } });
    const app = express();
    app.use(obs.middleware());
    app.use(obs.routes());
    build(app);
    for (const p of paths) await request(app).get(p);
    const scrape = (await request(app).get('/metrics').expect(200)).text;
    return samples(scrape, 'http_requests_total').map((s) => s.labels.route!).sort();
  }

  it('uses the template of a plain route, never the raw path or query', async () => {
    expect(await routesAfter((app) => app.get('/users/:id', ok), ['/users/1', '/users/2?x=1'])).toEqual(['/users/:id']);
  });

  it('includes the mount path of a nested router, two levels deep', async () => {
    const routes = await routesAfter(
      (app) => {
        const api = express.Router();
        const v1 = express.Router();
        v1.get('/items/:itemId', ok);
        api.use('/v1', v1);
        api.get('/orders/:orderId', ok);
        api.get('/', ok);
        app.use('/api', api);
      },
      ['/api/v1/items/7', '/api/v1/items/8', '/api/orders/42', '/api', '/api/'],
    );
    expect(routes).toEqual(['/api', '/api/orders/:orderId', '/api/v1/items/:itemId']);
  });

  it('includes the mount path of a sub-application', async () => {
    const routes = await routesAfter(
      (app) => {
        const sub = express();
        sub.get('/x/:id', ok);
        app.use('/sub', sub);
      },
      ['/sub/x/1', '/sub/x/2'],
    );
    expect(routes).toEqual(['/sub/x/:id']);
  });

  it('keeps the template of a parameterized mount path instead of its values', async () => {
    const routes = await routesAfter(
      (app) => {
        const posts = express.Router({ mergeParams: true });
        posts.get('/posts/:postId', ok);
        app.use('/users/:userId', posts);
      },
      ['/users/1/posts/2', '/users/3/posts/4'],
    );
    expect(routes).toEqual(['/users/:userId/posts/:postId']);
  });

  it('keeps templates of parameterized mounts two levels deep, without mergeParams, and leaves req as Express made it', async () => {
    const seen: unknown[] = [];
    const routes = await routesAfter(
      (app) => {
        const comments = express.Router();
        comments.get('/comments/:commentId', (req: any, res: any) => {
          seen.push([req.baseUrl, req.params, req.route.path, req.originalUrl]);
          res.json({});
        });
        const orgs = express.Router();
        orgs.use('/repos/:repo', comments);
        app.use('/orgs/:org', orgs);
      },
      ['/orgs/acme/repos/web/comments/9', '/orgs/other/repos/api/comments/10'],
    );
    expect(routes).toEqual(['/orgs/:org/repos/:repo/comments/:commentId']);
    expect(seen[0]).toEqual(['/orgs/acme/repos/web', { commentId: '9' }, '/comments/:commentId', '/orgs/acme/repos/web/comments/9']);
  });

  it('labels array routes with their paths joined by |', async () => {
    expect(await routesAfter((app) => app.get(['/a/:x', '/b/:x'], ok), ['/a/1', '/b/2'])).toEqual(['/a/:x|/b/:x']);
  });

  it('labels RegExp routes with the expression as written', async () => {
    expect(await routesAfter((app) => app.get(/^\/re\/(\d+)$/, ok), ['/re/1', '/re/22'])).toEqual(['/^\\/re\\/(\\d+)$/']);
  });

  it('labels app.route() chains and wildcards with their template', async () => {
    const routes = await routesAfter(
      (app) => {
        app.route('/books/:id').get(ok).put(ok);
        app.get(v5 ? '/files/*splat' : '/files/*', ok);
      },
      ['/books/1', '/files/a/b.txt', '/files/c'],
    );
    expect(routes).toEqual(['/books/:id', v5 ? '/files/*splat' : '/files/*']);
  });

  it('gives every unmatched path one constant label, also under a router mount', async () => {
    const routes = await routesAfter(
      (app) => {
        const api = express.Router();
        api.get('/known', ok);
        app.use('/api', api);
      },
      ['/nope/1', '/nope/2', '/api/missing/3', '/api/known/extra'],
    );
    expect(routes).toEqual(['UNMATCHED']);
  });

  it('leaves req.baseUrl and req.route working in an app without the middleware, in the same process', async () => {
    // A first instance makes the route accessors exist process-wide.
    await routesAfter((app) => app.get('/users/:id', ok), ['/users/1']);
    const plain = express();
    const api = express.Router();
    api.get('/items/:id', (req: any, res: any) => res.json({ baseUrl: req.baseUrl, route: req.route.path, params: req.params }));
    plain.use('/api', api);
    plain.get('/after', (req: any, res: any) => res.json({ baseUrl: req.baseUrl, route: req.route.path }));
    expect((await request(plain).get('/api/items/7').expect(200)).body).toEqual({ baseUrl: '/api', route: '/items/:id', params: { id: '7' } });
    expect((await request(plain).get('/after').expect(200)).body).toEqual({ baseUrl: '', route: '/after' });
  });
});
