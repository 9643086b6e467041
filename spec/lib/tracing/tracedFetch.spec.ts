import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import request from 'supertest';
import { expressVersions } from '../../helpers/expressVersions';
import { closeAll } from '../../helpers/testObservability';
import { only, tracedApp, tracedObservability } from '../../fixtures/tracingApp';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  await closeAll();
});

async function listen(app: http.RequestListener): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.each(expressVersions)('one trace across two instances on %s', (_name, express) => {
  async function twoServices() {
    const b = tracedObservability({}, { serviceName: 'service-b' });
    const bUrl = await listen(
      tracedApp(express, b.obs, (app) => {
        app.get('/api/items/:id', (req, res) => {
          res.json({ id: req.params.id, traceparent: req.headers.traceparent ?? null });
        });
      }),
    );
    const a = tracedObservability({}, { serviceName: 'service-a' });
    const aApp = tracedApp(express, a.obs, (app) => {
      app.get('/fetch', async (_req, res, next) => {
        try {
          const answer = await a.obs.tracing.fetch(`${bUrl}/api/items/5`);
          res.json(await answer.json());
        } catch (e) {
          next(e);
        }
      });
      app.get('/http', (_req, res, next) => {
        // A client you call yourself: inject the active context's headers.
        const headers = a.obs.tracing.injectHeaders({});
        http
          .get(`${bUrl}/api/items/6`, { headers }, (answer) => {
            let body = '';
            answer.on('data', (c: Buffer) => (body += c.toString()));
            answer.on('end', () => res.type('json').send(body));
          })
          .on('error', next);
      });
      app.get('/down', async (_req, res, next) => {
        try {
          await a.obs.tracing.fetch('http://127.0.0.1:1/nothing');
          res.end();
        } catch (e) {
          next(e);
        }
      });
    });
    return { a, b, aApp };
  }

  it('obs.tracing.fetch: B continues A\'s trace under A\'s CLIENT span; each instance exports only its own spans', async () => {
    const { a, b, aApp } = await twoServices();
    const res = await request(aApp).get('/fetch').expect(200);

    const aServer = only(a.spans(), 'GET /fetch');
    const aClient = only(a.spans(), 'GET');
    const bServer = only(b.spans(), 'GET /api/items/:id');
    const traceId = aServer.spanContext().traceId;

    expect(aClient.kind).toBe(SpanKind.CLIENT);
    expect(aClient.parentSpanContext?.spanId).toBe(aServer.spanContext().spanId);
    expect(aClient.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'server.address': '127.0.0.1' });
    expect(aClient.attributes['url.full']).toMatch(/\/api\/items\/5$/);
    expect(bServer.spanContext().traceId).toBe(traceId);
    expect(bServer.parentSpanContext?.spanId).toBe(aClient.spanContext().spanId);
    // Sampled (01) and, A having started the trace with a random id, random (02: W3C Level 2).
    expect(res.body.traceparent).toBe(`00-${traceId}-${aClient.spanContext().spanId}-03`);

    expect(a.spans().every((s) => s.resource.attributes['service.name'] === 'service-a')).toBe(true);
    expect(b.spans().every((s) => s.resource.attributes['service.name'] === 'service-b')).toBe(true);
    expect(b.spans()).toHaveLength(1);
  });

  it('injectHeaders: a hand-made http.request carries the trace to B', async () => {
    const { a, b, aApp } = await twoServices();
    await request(aApp).get('/http').expect(200);
    const aServer = only(a.spans(), 'GET /http');
    const bServer = only(b.spans(), 'GET /api/items/:id');
    expect(bServer.spanContext().traceId).toBe(aServer.spanContext().traceId);
    expect(bServer.parentSpanContext?.spanId).toBe(aServer.spanContext().spanId);
  });

  it('a failed call ends the CLIENT span as an error and the error reaches the caller', async () => {
    const { a, aApp } = await twoServices();
    await request(aApp).get('/down').expect(500);
    const client = only(a.spans(), 'GET');
    expect(client.kind).toBe(SpanKind.CLIENT);
    expect(client.status.code).toBe(SpanStatusCode.ERROR);
    expect(client.events.some((e) => e.name === 'exception')).toBe(true);
    expect(only(a.spans(), 'GET /down').status.code).toBe(SpanStatusCode.ERROR);
  });
});
