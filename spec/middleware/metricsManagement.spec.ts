import request from 'supertest';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';
import { samples, value } from '../fixtures/metricsScrape';

afterEach(closeAll);

describe('management server', () => {
  it('serves metrics and health on its own port, keeps /metrics off the app port, and closes at shutdown', async () => {
    const { obs } = testObservability({ metrics: { managementPort: 0, managementHost: '127.0.0.1', defaultMetrics: false } });
    const { port } = await obs.management!.address();
    expect(port).toBeGreaterThan(0);
    const express = expressVersions[0]![1];
    const app = express();
    app.use(obs.middleware());
    app.use(obs.routes());
    app.get('/hello', (_req, res) => {
      res.send('hi');
    });
    await request(app).get('/hello').expect(200);
    await request(app).get('/metrics').expect(404);
    await request(app).get('/health/live').expect(200);

    const base = `http://127.0.0.1:${port}`;
    const scrape = await fetch(`${base}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(value(text, 'http_requests_total', { route: '/hello' })).toBe(1);
    expect(value(text, 'http_requests_total', { route: 'UNMATCHED', status_code: '404' })).toBe(1);
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/anything`)).status).toBe(404);
    // The management server's own requests are not recorded.
    expect(samples(await (await fetch(`${base}/metrics`)).text(), 'http_requests_total')).toHaveLength(2);

    await obs.shutdown();
    expect(obs.management!.server.listening).toBe(false);
    await expect(fetch(`${base}/metrics`)).rejects.toThrow();
  });

  it('reports a port that cannot be bound instead of throwing', async () => {
    const first = testObservability({ metrics: { managementPort: 0, managementHost: '127.0.0.1', defaultMetrics: false } });
    const { port } = await first.obs.management!.address();
    const errors: unknown[] = [];
    const second = testObservability({
      metrics: { managementPort: port, managementHost: '127.0.0.1', defaultMetrics: false },
      onError: (e) => errors.push(e),
    });
    await expect(second.obs.management!.address()).rejects.toThrow(/EADDRINUSE/);
    expect(errors).toHaveLength(1);
    expect(second.obs.errors.counts().metrics).toBe(1);
  });
});

describe('runtime metrics', () => {
  it('collects prom-client default metrics on the instance registry, without the *_total gauges', async () => {
    const { obs } = testObservability();
    // The CPU counter reports time used since it was created: use some, so it cannot be 0.
    const until = process.cpuUsage().user + 50_000;
    while (process.cpuUsage().user < until);
    const { body } = await obs.metrics!.render(undefined);
    expect(value(body, 'process_cpu_user_seconds_total', { service: 'test-service' })).toBeGreaterThan(0);
    expect(body).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
    expect(body).toContain('# TYPE nodejs_active_handles gauge');
    for (const dropped of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      expect(body).not.toContain(dropped);
    }
  });

  it('two instances on one injected registry share the runtime metrics instead of failing', async () => {
    const { Registry } = await import('prom-client');
    const registry = new Registry();
    testObservability({ metrics: { registry } });
    const { obs } = testObservability({ metrics: { registry } });
    const { body } = await obs.metrics!.render(undefined);
    expect(samples(body, 'process_cpu_user_seconds_total')).toHaveLength(1);
  });

  it('leaves them out with defaultMetrics: false', async () => {
    const { obs } = testObservability({ metrics: { defaultMetrics: false } });
    const { body } = await obs.metrics!.render(undefined);
    expect(body).not.toContain('process_cpu_user_seconds_total');
  });
});
