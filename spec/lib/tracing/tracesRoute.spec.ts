import request from 'supertest';
import { expressVersions } from '../../helpers/expressVersions';
import { closeAll, testObservability } from '../../helpers/testObservability';
import { tracedApp } from '../../fixtures/tracingApp';
import type { ObservabilityOptions } from '../../../lib/config';

afterEach(closeAll);

describe.each(expressVersions)('embedded traces on %s', (_name, express) => {
  function setup(options: ObservabilityOptions = {}) {
    // No endpoint configured: the default exporter keeps spans in memory.
    const { obs } = testObservability({ tracing: { processor: 'simple' }, ...options });
    const app = tracedApp(express, obs, (a) => {
      a.get('/api/orders/:id', (_req, res) => {
        obs.tracer.startActiveSpan('load order', (s) => {
          s.end();
          res.json({ ok: true });
        });
      });
      a.get('/fail', () => {
        throw new Error('nope');
      });
    });
    return { obs, app };
  }

  it('keeps finished spans in memory, readable from the instance', async () => {
    const { obs, app } = setup();
    await request(app).get('/api/orders/1').expect(200);
    const recent = obs.tracing.recentSpans();
    expect(recent.map((s) => s.name)).toEqual(['GET /api/orders/:id', 'load order']);
    const [server, child] = recent;
    expect(server).toMatchObject({ kind: 'SERVER', service: 'test-service', status: { code: 'UNSET' } });
    expect(child!.parentSpanId).toBe(server!.spanId);
    expect(obs.tracing.traceById(server!.traceId).map((s) => s.name)).toEqual(['GET /api/orders/:id', 'load order']);
  });

  it('GET /observability/traces lists traces, newest first, and /:traceId shows one', async () => {
    const { obs, app } = setup();
    await request(app).get('/api/orders/1').expect(200);
    await request(app).get('/fail').expect(500);
    const list = await request(app).get('/observability/traces').expect(200);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.body.service).toBe('test-service');
    expect(list.body.traces.map((t: { name: string }) => t.name)).toEqual(['GET /fail', 'GET /api/orders/:id']);
    expect(list.body.traces[0]).toMatchObject({ error: true, spanCount: 1 });
    expect(list.body.traces[1]).toMatchObject({ error: false, spanCount: 2 });

    const traceId = list.body.traces[1].traceId;
    const one = await request(app).get(`/observability/traces/${traceId}`).expect(200);
    expect(one.body.spans.map((s: { name: string }) => s.name)).toEqual(['GET /api/orders/:id', 'load order']);
    expect(one.body.spans[0].attributes['http.route']).toBe('/api/orders/:id');

    // Reading traces is not traced itself.
    expect(obs.tracing.traces()).toHaveLength(2);
  });

  it('answers 404 for an unknown trace and 400 for a malformed id', async () => {
    const { app } = setup();
    await request(app).get(`/observability/traces/${'a'.repeat(32)}`).expect(404);
    await request(app).get('/observability/traces/not-an-id').expect(400);
  });

  it('keeps at most recentSpans spans', async () => {
    const { obs, app } = setup({ tracing: { processor: 'simple', recentSpans: 3 } });
    for (let i = 0; i < 5; i++) await request(app).get('/api/orders/1').expect(200);
    expect(obs.tracing.recentSpans()).toHaveLength(3);
  });

  it('does not serve the route in production unless its path is set explicitly', async () => {
    const prod = setup({ environment: 'production' });
    await request(prod.app).get('/api/orders/1').expect(200);
    await request(prod.app).get('/observability/traces').expect(404);
    // The path is then an ordinary unmatched request of the app, traced like any other.
    expect(prod.obs.tracing.recentSpans().map((s) => s.name)).toEqual(['GET', 'GET /api/orders/:id', 'load order']);

    const explicit = setup({ environment: 'production', tracing: { processor: 'simple', tracesPath: '/_traces' } });
    await request(explicit.app).get('/api/orders/1').expect(200);
    const res = await request(explicit.app).get('/_traces').expect(200);
    expect(res.body.traces).toHaveLength(1);
  });

  it('does not serve the route when spans go to a backend instead of memory', async () => {
    const { app } = setup({ tracing: { exporter: 'none' } });
    await request(app).get('/observability/traces').expect(404);
  });
});
