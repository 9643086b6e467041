import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { ObservabilityOptions } from '../../lib/config';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';
import { samples, value } from '../fixtures/metricsScrape';

afterEach(closeAll);

describe.each(expressVersions)('HTTP metrics on %s', (_name, express) => {
  function build(options: ObservabilityOptions = {}) {
    const { obs, logs } = testObservability({ ...options, metrics: { defaultMetrics: false, ...(options.metrics || {}) } });
    const app = express();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    app.use(obs.middleware());
    app.use(obs.routes());
    app.get('/users/:id', (_req, res) => {
      res.json({ id: 1 });
    });
    app.post('/upload', (req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => res.send('x'.repeat(5000)));
    });
    app.get('/slow', (_req, res) => {
      void gate.then(() => res.send('done'));
    });
    app.get('/boom', (_req, _res, next) => next(new TypeError('bad input')));
    app.get('/unavailable', (_req, res) => {
      res.status(503).end();
    });
    app.use(obs.errorHandler());
    return { obs, app, logs, release };
  }

  const scrape = async (app: any, accept?: string) =>
    (await request(app).get('/metrics').set(accept ? { Accept: accept } : {}).expect(200)).text;

  it('counts requests and observes durations by method, route template and status (classic)', async () => {
    const { app } = build();
    await request(app).get('/users/1').expect(200);
    await request(app).get('/users/2').expect(200);
    await request(app).get('/boom').expect(500);
    const text = await scrape(app);
    expect(value(text, 'http_requests_total', { method: 'GET', route: '/users/:id', status_code: '200', service: 'test-service' })).toBe(2);
    expect(value(text, 'http_requests_total', { route: '/boom', status_code: '500' })).toBe(1);
    const buckets = samples(text, 'http_request_duration_seconds_bucket', { route: '/users/:id' }).map((s) => s.labels.le);
    expect(buckets).toEqual(['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf']);
    expect(value(text, 'http_request_duration_seconds_count', { route: '/users/:id', status_code: '200' })).toBe(2);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    // The library's own routes are not recorded.
    expect(samples(text, 'http_requests_total', { route: '/metrics' })).toHaveLength(0);
  });

  it('uses OpenTelemetry names and error_type with the otel preset', async () => {
    const { app } = build({ metrics: { preset: 'otel' } });
    await request(app).get('/users/1').expect(200);
    await request(app).get('/boom').expect(500);
    await request(app).get('/unavailable').expect(503);
    const text = await scrape(app);
    expect(samples(text, 'http_requests_total')).toHaveLength(0);
    const ok = samples(text, 'http_server_request_duration_seconds_count', { http_route: '/users/:id' });
    expect(ok).toHaveLength(1);
    expect(ok[0]!.labels).toEqual({ http_request_method: 'GET', http_route: '/users/:id', http_response_status_code: '200', service: 'test-service' });
    expect(value(text, 'http_server_request_duration_seconds_count', { http_route: '/boom', error_type: 'TypeError' })).toBe(1);
    expect(value(text, 'http_server_request_duration_seconds_count', { http_route: '/unavailable', error_type: '503' })).toBe(1);
    expect(samples(text, 'http_server_request_duration_seconds_bucket', { http_route: '/boom' }).map((s) => s.labels.le)).toContain('0.075');
    expect(value(text, 'http_server_active_requests')).toBe(0);
    expect(value(text, 'http_server_response_body_size_bytes_count', { http_route: '/users/:id' })).toBe(1);
  });

  it('measures request and response body bytes as they pass', async () => {
    const { app } = build();
    await request(app).post('/upload').set('Content-Type', 'text/plain').send('a'.repeat(1234)).expect(200);
    const text = await scrape(app);
    expect(value(text, 'http_request_size_bytes_sum', { route: '/upload', method: 'POST' })).toBe(1234);
    expect(value(text, 'http_response_size_bytes_sum', { route: '/upload', method: 'POST' })).toBe(5000);
    expect(value(text, 'http_request_size_bytes_bucket', { route: '/upload', le: '1000' })).toBe(0);
    expect(value(text, 'http_request_size_bytes_bucket', { route: '/upload', le: '10000' })).toBe(1);
  });

  it('shows requests in flight', async () => {
    const { app, release } = build();
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise((r) => server.once('listening', r));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const slow = fetch(`${base}/slow`);
      let during = 0;
      for (let i = 0; i < 100 && during === 0; i++) {
        during = value(await (await fetch(`${base}/metrics`)).text(), 'http_requests_in_flight') ?? 0;
      }
      expect(during).toBe(1);
      release();
      expect(await (await slow).text()).toBe('done');
      expect(value(await (await fetch(`${base}/metrics`)).text(), 'http_requests_in_flight')).toBe(0);
    } finally {
      release();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('records a request the client aborted, with status 499 (classic) and error_type aborted (otel)', async () => {
    for (const preset of ['classic', 'otel'] as const) {
      const { app, release } = build({ metrics: { preset } });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const { port } = server.address() as AddressInfo;
      const req = httpRequest({ host: '127.0.0.1', port, path: '/slow' });
      req.on('error', () => undefined);
      req.end();
      const base = `http://127.0.0.1:${port}`;
      const inFlight = preset === 'otel' ? 'http_server_active_requests' : 'http_requests_in_flight';
      for (let i = 0; i < 100 && value(await (await fetch(`${base}/metrics`)).text(), inFlight) !== 1; i++);
      req.destroy();
      let text = '';
      for (let i = 0; i < 100; i++) {
        text = await (await fetch(`${base}/metrics`)).text();
        if (preset === 'classic' ? value(text, 'http_requests_total', { route: '/slow' }) : value(text, inFlight) === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      if (preset === 'classic') expect(value(text, 'http_requests_total', { route: '/slow', status_code: '499' })).toBe(1);
      else expect(value(text, 'http_server_request_duration_seconds_count', { http_route: '/slow', error_type: 'aborted' })).toBe(1);
      release();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('leaves out excluded paths (strings, templates and RegExps)', async () => {
    const { app } = build({ metrics: { excludePaths: ['/users/:id', /^\/boo/] } });
    await request(app).get('/users/1').expect(200);
    await request(app).get('/boom').expect(500);
    await request(app).get('/unavailable').expect(503);
    const text = await scrape(app);
    expect(samples(text, 'http_requests_total').map((s) => s.labels.route)).toEqual(['/unavailable']);
  });

  it('applies the prefix and default labels to every series, on an injected registry', async () => {
    const { Registry, register } = await import('prom-client');
    const registry = new Registry();
    const { app } = build({ metrics: { registry, prefix: 'shop_', defaultLabels: { region: 'eu' } } });
    await request(app).get('/users/1').expect(200);
    const text = await scrape(app);
    expect(value(text, 'shop_http_requests_total', { route: '/users/:id', region: 'eu', service: 'test-service' })).toBe(1);
    expect(samples(text, 'http_requests_total')).toHaveLength(0);
    expect(await registry.getSingleMetricAsString('shop_http_requests_total')).toContain('route="/users/:id"');
    expect(register.getSingleMetric('shop_http_requests_total')).toBeUndefined();
  });

  it('caps label combinations: new ones go to one OVERFLOW series, counted and logged once', async () => {
    const { app, logs } = build({ metrics: { maxSeriesPerMetric: 2 } });
    await request(app).get('/users/1').expect(200);
    await request(app).get('/boom').expect(500);
    await request(app).get('/unavailable').expect(503);
    await request(app).get('/nope').expect(404);
    const text = await scrape(app);
    expect(samples(text, 'http_requests_total')).toHaveLength(3);
    expect(value(text, 'http_requests_total', { route: 'OVERFLOW', method: 'OVERFLOW', status_code: 'OVERFLOW' })).toBe(2);
    expect(value(text, 'express_observability_series_overflow_total', { metric: 'http_requests_total' })).toBe(2);
    const warnings = logs.entries.filter((e) => e.level === 'warn' && String(e.message).includes('http_requests_total'));
    expect(warnings).toHaveLength(1);
  });

  it('answers OpenMetrics when Accept asks for it, and Prometheus text afterwards', async () => {
    const { app } = build();
    await request(app).get('/users/1').expect(200);
    const om = await request(app).get('/metrics').set('Accept', 'application/openmetrics-text; version=1.0.0').expect(200);
    expect(om.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(om.text).toContain('# TYPE http_requests counter');
    expect(value(om.text, 'http_requests_total', { route: '/users/:id' })).toBe(1);
    expect(om.text.endsWith('# EOF\n')).toBe(true);
    const prom = await request(app).get('/metrics').expect(200);
    expect(prom.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(prom.text).toContain('# TYPE http_requests_total counter');
    expect(prom.text).not.toContain('# EOF');
  });

  it('puts trace exemplars on the duration histogram of an OpenMetrics registry', async () => {
    const { app } = build({ metrics: { exemplars: true } });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await request(app).get('/users/1').set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`).expect(200);
    const om = await scrape(app, 'application/openmetrics-text; version=1.0.0');
    const withExemplar = samples(om, 'http_request_duration_seconds_bucket', { route: '/users/:id' }).filter((s) => s.exemplar);
    expect(withExemplar).toHaveLength(1);
    expect(withExemplar[0]!.exemplar).toMatch(new RegExp(`^\\{trace_id="${traceId}",span_id="[0-9a-f]{16}"\\} \\d`));
    // Prometheus text never carries exemplars.
    expect(await scrape(app)).not.toContain('trace_id');
  });

  it('protects /metrics with a bearer token or a function', async () => {
    const { app } = build({ metrics: { auth: 'scrape-secret' } });
    const denied = await request(app).get('/metrics').expect(401);
    expect(denied.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(denied.text).not.toContain('http_requests_total');
    await request(app).get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
    await request(app).get('/metrics').set('Authorization', 'Bearer scrape-secret').expect(200);

    const byFn = build({ metrics: { auth: (req) => req.headers['x-scraper'] === 'prometheus' } });
    await request(byFn.app).get('/metrics').expect(401);
    await request(byFn.app).get('/metrics').set('X-Scraper', 'prometheus').expect(200);
  });

  it('10,000 requests to distinct random unknown paths add at most a handful of series', async () => {
    const { app } = build({ metrics: { defaultMetrics: false } });
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise((r) => server.once('listening', r));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const before = samples(await (await fetch(`${base}/metrics`)).text(), 'http_requests_total').length;
      let next = 0;
      const worker = async () => {
        while (next < 10_000) {
          next++;
          const r = await fetch(`${base}/unknown/${Math.random().toString(36).slice(2)}/${next}`);
          await r.arrayBuffer();
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(value(text, 'http_requests_total', { route: 'UNMATCHED', status_code: '404' })).toBe(10_000);
      expect(samples(text, 'http_requests_total').length - before).toBe(1);
      expect(samples(text, 'http_request_duration_seconds_count')).toHaveLength(1);
      expect(text).not.toContain('/unknown/');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }, 60_000);
});
