import request from 'supertest';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';

afterEach(closeAll);

describe.each(expressVersions)("the library's own routes on %s", (_name, express) => {
  it.each([
    ['obs.routes() after obs.middleware()', false],
    ['obs.middleware({ routes: true }) alone', true],
  ])('are served with a request id but leave no metric, span or access-log line: %s', async (_setup, alone) => {
    const exporter = new InMemorySpanExporter();
    const { obs, logs } = testObservability({ tracing: { exporter, processor: 'simple', recentSpans: 100 } });
    const app = express();
    if (alone) {
      app.use(obs.middleware({ routes: true }));
    } else {
      app.use(obs.middleware());
      app.use(obs.routes());
    }
    app.get('/api/items/:id', (_req, res) => {
      res.json({ ok: true });
    });

    await request(app).get('/api/items/1').expect(200);
    for (const path of ['/health', '/health/ready', '/health/live', '/info', '/observability/traces', '/observability/traces/0af7651916cd43dd8448eb211c80319c']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(path.endsWith('319c') ? 404 : 200);
      expect(res.headers['x-request-id']).toBeTruthy();
    }
    // Only GET and HEAD are answered: anything else goes on to the app (here: nothing, 404).
    await request(app).post('/health').expect(404);
    const scrape = (await request(app).get('/metrics').expect(200)).text;

    const requestLines = scrape.split('\n').filter((l) => l.startsWith('http_requests_total{'));
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toContain('route="/api/items/:id"');
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['GET /api/items/:id']);
    const accessLines = logs.entries.filter((e) => e['url.path'] !== undefined || /request/i.test(String(e.message)));
    expect(accessLines.map((e) => e['url.path'] ?? e.path)).toEqual(['/api/items/1']);
  });
});

describe.each(expressVersions)('the middleware mounted inside a router on %s', (_name, express) => {
  it('labels routes with the full template, including the mount path it was mounted under', async () => {
    const { obs } = testObservability();
    const app = express();
    const api = express.Router();
    api.use(obs.middleware());
    api.get('/users/:id', (_req, res) => {
      res.json({});
    });
    app.use('/api', api);
    app.use(obs.routes());
    await request(app).get('/api/users/42').expect(200);
    const scrape = (await request(app).get('/metrics').expect(200)).text;
    expect(scrape).toMatch(/http_requests_total\{method="GET",route="\/api\/users\/:id",status_code="200"/);
  });
});

describe('middleware options', () => {
  it.each([
    ['a string', 'routes'],
    ['routes as a string', { routes: 'yes' }],
    ['null', null],
  ])('reject %s with an error naming the option', (_name, value) => {
    const { obs } = testObservability();
    expect(() => obs.middleware(value as never)).toThrow(/middleware\(/);
  });
});
