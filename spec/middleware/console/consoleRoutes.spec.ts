import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import type { ObservabilityOptions } from '../../../lib/config';
import { Logged } from '../../../decorators/Logged';
import { CONSOLE_CSP } from '../../../middleware/console/createConsoleHandlers';
import { closeAll, testObservability } from '../../helpers/testObservability';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  await closeAll();
});

const TOKEN = 'console-token-0123456789';

function app(options: ObservabilityOptions = {}) {
  const { obs, logs } = testObservability({
    health: { checks: { db: async () => ({ pool: 3 }) } },
    ...options,
  });
  const a = express();
  a.use(obs.middleware({ routes: true }));
  a.get('/items/:id', (req, res) => {
    obs.logger.info('item read', { id: req.params.id, password: 'hunter2' });
    res.json({ ok: true });
  });
  a.get('/boom', () => {
    throw new Error('boom');
  });
  a.use(obs.errorHandler());
  return { a, obs, logs };
}

async function getJson(url: string): Promise<any> {
  return (await fetch(url)).json();
}

async function listen(a: express.Express): Promise<string> {
  const server = createServer(a);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the console routes', () => {
  it('serves the page and its assets with a policy that allows only its own scripts, styles and JSON', async () => {
    const { a } = app();
    await request(a).get('/observability').expect(301).expect('Location', 'observability/');
    const page = await request(a)
      .get('/observability/')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toMatch(/script-src 'self';/);
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // No inline script or style anywhere in the page: every script and sheet is a file of its own.
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]|<style|\sstyle=|\son[a-z]+=/i);
    for (const src of page.text.match(/(?:src|href)="(assets\/[^"]+)"/g)!.map((m) => m.split('"')[1])) {
      const res = await request(a).get(`/observability/${src}`).expect(200);
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(res.headers.etag).toBeDefined();
    }
    const js = await request(a)
      .get('/observability/assets/console.js')
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    await request(a)
      .get('/observability/assets/console.js')
      .set('If-None-Match', js.headers.etag!)
      .expect(304);
    await request(a).get('/observability/assets/../../package.json').expect(404);
    await request(a).get('/observability/index.html').expect(404);
    await request(a).get('/observability/api/nope').expect(404);
  });

  it('answers overview, routes, series, traces, logs and errors from what the app served', async () => {
    const { a, obs } = app();
    for (let i = 0; i < 5; i++) await request(a).get(`/items/${i}`).expect(200);
    await request(a).get('/boom').expect(500);
    const overview = (await request(a).get('/observability/api/overview').expect(200)).body;
    expect(overview).toMatchObject({
      service: 'test-service',
      version: '1.2.3',
      environment: 'test',
      health: { status: 'healthy', checks: { db: { status: 'healthy' } } },
    });
    expect(overview.memory.seriesBytes).toBeGreaterThan(0);
    const routes = (await request(a).get('/observability/api/routes').expect(200)).body.routes;
    expect(routes.find((r: { route: string }) => r.route === '/items/:id')).toMatchObject({
      method: 'GET',
      requests: 5,
      errors: 0,
    });
    expect(routes.find((r: { route: string }) => r.route === '/boom')).toMatchObject({
      requests: 1,
      errors: 1,
      lastError: { status: 500, type: 'Error' },
    });
    // The console's own requests are not counted.
    expect(routes.some((r: { route: string }) => r.route.startsWith('/observability'))).toBe(false);
    const series = (await request(a).get('/observability/api/series').expect(200)).body;
    expect(series.points).toHaveLength(360);
    expect(series.points.reduce((n: number, p: { requests: number }) => n + p.requests, 0)).toBe(6);
    const one = (
      await request(a).get('/observability/api/series?method=GET&route=/boom&minutes=1').expect(200)
    ).body.points;
    expect(one).toHaveLength(6);

    const failed = (await request(a).get('/observability/api/traces?error=1').expect(200)).body.traces;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ route: '/boom', status: 500, error: true, services: ['test-service'] });
    expect(
      (await request(a).get('/observability/api/traces?route=/items/:id&status=2xx&sort=slowest').expect(200))
        .body.traces,
    ).toHaveLength(5);
    expect(
      (await request(a).get('/observability/api/traces?status=4xx').expect(200)).body.traces,
    ).toHaveLength(0);
    const traceId = failed[0].traceId as string;
    const trace = (await request(a).get(`/observability/api/traces/${traceId}`).expect(200)).body;
    expect(trace.spans.map((s: { name: string }) => s.name)).toContain('GET /boom');
    await request(a).get('/observability/api/traces/xyz').expect(400);

    const records = (await request(a).get('/observability/api/logs?q=item%20read').expect(200)).body.records;
    expect(records).toHaveLength(5);
    // Redacted exactly as written.
    expect(records[0]).toMatchObject({ message: 'item read', password: '[REDACTED]' });
    expect(JSON.stringify(records)).not.toContain('hunter2');
    const ofTrace = (await request(a).get(`/observability/api/logs?trace_id=${traceId}`).expect(200)).body
      .records;
    expect(ofTrace.map((r: { 'http.route': string }) => r['http.route'])).toEqual(['/boom']);
    expect(
      (await request(a).get('/observability/api/logs?level=error').expect(200)).body.records.every(
        (r: { level: string }) => r.level === 'error',
      ),
    ).toBe(true);
    await request(a).get('/observability/api/logs?trace_id=nothex').expect(400);

    const errors = (await request(a).get('/observability/api/errors').expect(200)).body.errors;
    expect(errors).toEqual([
      expect.objectContaining({
        kind: 'request',
        type: 'Error',
        message: 'boom',
        route: '/boom',
        status: 500,
        traceId,
      }),
    ]);
    expect(obs.console!.memory()).toMatchObject({ errorRecords: 1 });
  });

  it('lists a decorated method that failed among the errors, with its trace', async () => {
    const { a, obs } = app();
    class Orders {
      @Logged({ instance: obs })
      place(): never {
        throw new TypeError('no such product');
      }
    }
    a.get('/place', () => new Orders().place());
    await request(a).get('/place').expect(500);
    const errors = (await request(a).get('/observability/api/errors').expect(200)).body.errors;
    expect(errors.map((e: { kind: string }) => e.kind).sort()).toEqual(['method', 'request']);
    expect(errors.find((e: { kind: string }) => e.kind === 'method')).toMatchObject({
      type: 'TypeError',
      message: 'no such product',
      function: 'Orders.place',
    });
  });

  it('keeps the log ring within its bounds of records and characters', async () => {
    const { obs } = app({ console: { logRecords: 50, logBytes: 20_000 } });
    for (let i = 0; i < 200; i++) obs.logger.info(`line ${i}`, { pad: 'x'.repeat(i % 7 === 0 ? 600 : 10) });
    await new Promise((r) => setImmediate(r));
    const held = obs.console!.memory();
    expect(held.logRecords).toBeLessThanOrEqual(50);
    expect(held.logBytes).toBeLessThanOrEqual(20_000);
    expect(obs.console!.logs.records(1)[0]).toMatchObject({ message: 'line 199' });
  });
});

describe('who may see the console', () => {
  it('in production it is off unless enabled: the app answers, the console does not exist', async () => {
    const { a, obs } = app({ environment: 'production' });
    expect(obs.console).toBeUndefined();
    await request(a).get('/observability/').expect(404);
    await request(a).get('/observability/api/logs').expect(404);
  });

  it('enabled in production, only callers with the health token (or authorize) see anything', async () => {
    const { a } = app({
      environment: 'production',
      console: { enabled: true },
      health: { token: TOKEN, checks: {} },
    });
    for (const path of [
      '/observability/',
      '/observability/assets/console.js',
      '/observability/api/overview',
      '/observability/api/logs',
    ]) {
      const res = await request(a).get(path).expect(401);
      expect(res.body).toEqual({ error: 'unauthorized' });
      await request(a).get(path).set('Authorization', 'Bearer wrong').expect(401);
    }
    await request(a).get('/observability/api/overview').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    const { a: b } = app({
      environment: 'production',
      console: { enabled: true },
      health: { authorize: (req) => req.headers['x-admin'] === 'yes', checks: {} },
    });
    await request(b).get('/observability/api/errors').expect(401);
    await request(b).get('/observability/api/errors').set('x-admin', 'yes').expect(200);
  });

  it('outside production it follows the health details policy too', async () => {
    const { a } = app({ health: { showDetails: 'never', checks: {} } });
    await request(a).get('/observability/').expect(401);
  });

  it('can be mounted at another path, or turned off', async () => {
    const { a } = app({ console: { path: '/ops/console' } });
    await request(a).get('/ops/console/').expect(200);
    await request(a).get('/observability/').expect(404);
    const { a: off, obs } = app({ console: false });
    await request(off).get('/observability/').expect(404);
    expect(obs.console).toBeUndefined();
  });
});

describe('peers', () => {
  it('merges the spans and log lines of one trace from the configured peers, and says which peer failed', async () => {
    const downstream = app({ serviceName: 'payments' });
    downstream.a.post('/pay', (_req, res) => {
      downstream.obs.logger.info('payment taken');
      res.json({ paid: true });
    });
    const payments = await listen(downstream.a);
    const refused = await listen(express());
    servers.at(-1)!.close();
    const upstream = app({
      serviceName: 'orders',
      console: { peers: [`${payments}/observability`, `${refused}/observability`], peerTimeoutMs: 1000 },
    });
    upstream.a.post('/orders', async (_req, res) => {
      upstream.obs.logger.info('order placed');
      const paid = await upstream.obs.tracing.fetch(`${payments}/pay`, { method: 'POST' });
      res.status(201).json(await paid.json());
    });
    const orders = await listen(upstream.a);
    const placed = await fetch(`${orders}/orders`, { method: 'POST' });
    expect(placed.status).toBe(201);
    await downstream.obs.tracing.forceFlush();
    const [root] = (await getJson(`${orders}/observability/api/traces?route=/orders`)).traces;
    const trace = await getJson(`${orders}/observability/api/traces/${root.traceId}`);
    expect(trace.services.sort()).toEqual(['orders', 'payments']);
    expect(trace.spans.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['POST /orders', 'POST /pay']),
    );
    expect(trace.peers).toEqual([
      { peer: `${payments}/observability`, ok: true, count: expect.any(Number) },
      { peer: `${refused}/observability`, ok: false, count: 0, error: expect.any(String) },
    ]);
    const logs = await getJson(`${orders}/observability/api/logs?trace_id=${root.traceId}`);
    expect(new Set(logs.records.map((r: { service: string }) => r.service))).toEqual(
      new Set(['orders', 'payments']),
    );
    expect(logs.records.map((r: { message: string }) => r.message)).toEqual(
      expect.arrayContaining(['order placed', 'payment taken']),
    );
    // Reading a trace adds no trace: the peer fetches are not traced, the console routes not recorded.
    const after = (await getJson(`${payments}/observability/api/traces`)).traces;
    expect(after.map((t: { name: string }) => t.name)).toEqual(['POST /pay']);
    // A local read asks nobody.
    const local = await getJson(`${orders}/observability/api/traces/${root.traceId}?local=1`);
    expect(local.peers).toEqual([]);
  });
});
