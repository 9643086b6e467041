import request from 'supertest';
import express from 'express';
import { resolveConfig } from '../../lib/config';
import { ObservabilityConfigError } from '../../lib/configError';
import { closeAll, testObservability } from '../helpers/testObservability';

afterEach(closeAll);

describe('resolved options are decided in the resolve step', () => {
  it('tracing: the traces path and global registration', () => {
    expect(resolveConfig({ env: {} }).tracing).toMatchObject({ tracesPath: '/observability/traces', registerGlobal: true });
    expect(resolveConfig({ env: {}, environment: 'production' }).tracing.tracesPath).toBeUndefined();
    expect(resolveConfig({ env: {}, global: false }).tracing.registerGlobal).toBe(false);
    expect(resolveConfig({ env: {}, tracing: { recentSpans: 0 } }).tracing.tracesPath).toBeUndefined();
    expect(resolveConfig({ env: {}, tracing: { tracesPath: false } }).tracing.tracesPath).toBeUndefined();
    expect(resolveConfig({ env: {}, tracing: { tracesPath: '/t' } }).tracing.tracesPath).toBe('/t');
  });

  it("metrics: the health gauges' deadline; logging: the flush timeout and floor; the error-report interval", () => {
    const c = resolveConfig({ env: {}, health: { probeDeadlineMs: 300 }, metrics: { collectorTimeoutMs: 1000 } });
    expect(c.metrics.healthDeadlineMs).toBe(300);
    expect(resolveConfig({ env: {}, metrics: { collectorTimeoutMs: 400 } }).metrics.healthDeadlineMs).toBe(200);
    expect(c.logging).toMatchObject({ flushTimeoutMs: 5000, flushFloorMs: 250 });
    expect(c.errorReportIntervalMs).toBe(60_000);
    expect(resolveConfig({ env: {}, errorReportIntervalMs: 1000 }).errorReportIntervalMs).toBe(1000);
    expect(() => resolveConfig({ env: {}, errorReportIntervalMs: -1 })).toThrow(/errorReportIntervalMs/);
  });

  it('management: the top-level option, metrics.managementPort as its alias, both at once refused', () => {
    expect(resolveConfig({ env: {}, management: { port: 9464, host: '127.0.0.1' } }).management).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(resolveConfig({ env: {}, metrics: { managementPort: 9465 } }).management).toEqual({ port: 9465, host: undefined });
    expect(resolveConfig({ env: {} }).management).toBeUndefined();
    expect(() => resolveConfig({ env: {}, management: { port: 1 }, metrics: { managementPort: 2 } })).toThrow(ObservabilityConfigError);
    expect(() => resolveConfig({ env: {}, management: { port: 70000 } })).toThrow(/management\.port/);
  });
});

describe('the pillars composed by the core', () => {
  it('the management server belongs to the instance and serves health even with metrics off', async () => {
    const { obs } = testObservability({ management: { port: 0, host: '127.0.0.1' }, metrics: false });
    const { port } = await obs.management!.address();
    const res = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(res.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    await obs.shutdown();
    expect(obs.management!.server.listening).toBe(false);
  });

  it('every finished request reaches each pillar once: series, span, access line and console series', async () => {
    const { obs, logs } = testObservability({ metrics: { defaultMetrics: false } });
    expect(obs.requestConsumers).toHaveLength(4);
    const app = express();
    app.use(obs.middleware({ routes: true }));
    app.get('/items/:id', (_req, res) => res.json({ ok: true }));
    await request(app).get('/items/1').expect(200);
    const scrape = (await request(app).get('/metrics')).text;
    expect(scrape).toMatch(/http_requests_total\{[^}]*route="\/items\/:id"[^}]*\} 1/);
    expect(obs.tracing.recentSpans().filter((s) => s.name === 'GET /items/:id')).toHaveLength(1);
    expect(logs.entries.filter((l) => l['http.route'] === '/items/:id')).toHaveLength(1);
    expect(obs.console!.series.rows(Date.now(), 60).find((r) => r.route === '/items/:id')?.requests).toBe(1);
  });

  it('with metrics, the access log and the console off, only the span consumer is left', () => {
    const { obs } = testObservability({ metrics: false, logging: { accessLog: false }, console: false });
    expect(obs.requestConsumers).toHaveLength(1);
  });

  it('shuts the pillars down in order, the logs last: a line logged by a shutdown hook is still written', async () => {
    const { obs, logs } = testObservability({ metrics: { defaultMetrics: false } });
    obs.onShutdown(() => {
      obs.logger.info('closing the pool');
    });
    await obs.shutdown();
    expect(logs.entries.map((l) => l.message)).toContain('closing the pool');
    expect(obs.state.closed).toBe(true);
  });
});
