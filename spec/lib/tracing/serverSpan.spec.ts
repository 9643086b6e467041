import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import request from 'supertest';
import { expressVersions } from '../../helpers/expressVersions';
import { closeAll } from '../../helpers/testObservability';
import { only, tracedApp, tracedObservability } from '../../fixtures/tracingApp';

afterEach(closeAll);

const PARENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const PARENT_SPAN = 'b7ad6b7169203331';

describe.each(expressVersions)('server span on %s', (_name, express) => {
  function setup() {
    const t = tracedObservability();
    const app = tracedApp(express, t.obs, (a) => {
      const users = express.Router();
      users.get('/:id', (req, res) => {
        const baggage = propagation.getBaggage(context.active());
        res.json({ id: req.params.id, tenant: baggage?.getEntry('tenant')?.value ?? null });
      });
      a.use('/api/users', users);
      a.get('/nested', (_req, res) => {
        t.obs.tracer.startActiveSpan('load order', (outer) => {
          t.obs.tracer.startActiveSpan('query db', (inner) => {
            inner.end();
            outer.end();
            res.json({ ok: true });
          });
        });
      });
      a.get('/boom', () => {
        throw new TypeError('exploded');
      });
      a.get('/bad', (_req, res) => {
        res.status(400).json({ error: 'bad input' });
      });
      a.get('/unavailable', (_req, res) => {
        res.status(503).end();
      });
    });
    return { ...t, app };
  }

  it('names the one SERVER span after the route template and sets the semantic-convention attributes', async () => {
    const { app, spans } = setup();
    await request(app).get('/api/users/42?x=1').set('User-Agent', 'spec-agent/1.0').expect(200);
    expect(spans()).toHaveLength(1);
    const span = only(spans(), 'GET /api/users/:id');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/api/users/42',
      'url.scheme': 'http',
      'http.route': '/api/users/:id',
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
      'user_agent.original': 'spec-agent/1.0',
      'network.protocol.version': '1.1',
    });
    expect(span.attributes['server.port']).toEqual(expect.any(Number));
    expect(span.attributes['client.address']).toMatch(/127\.0\.0\.1/);
    expect(span.resource.attributes).toMatchObject({
      'service.name': 'test-service',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
    });
  });

  it('nests manual spans of obs.tracer under the server span', async () => {
    const { app, spans } = setup();
    await request(app).get('/nested').expect(200);
    const server = only(spans(), 'GET /nested');
    const outer = only(spans(), 'load order');
    const inner = only(spans(), 'query db');
    const traceId = server.spanContext().traceId;
    expect([outer, inner].map((s) => s.spanContext().traceId)).toEqual([traceId, traceId]);
    expect(outer.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(outer.kind).toBe(SpanKind.INTERNAL);
  });

  it('records an exception reaching the error handler and marks the span ERROR', async () => {
    const { app, spans } = setup();
    await request(app).get('/boom').expect(500);
    const span = only(spans(), 'GET /boom');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'exploded' });
    expect(span.attributes['error.type']).toBe('TypeError');
    expect(span.attributes['http.response.status_code']).toBe(500);
    const event = span.events.find((e) => e.name === 'exception');
    expect(event?.attributes).toMatchObject({ 'exception.type': 'TypeError', 'exception.message': 'exploded' });
  });

  it('marks a 5xx response as an error and leaves a 4xx unset', async () => {
    const { app, spans } = setup();
    await request(app).get('/unavailable').expect(503);
    await request(app).get('/bad').expect(400);
    expect(only(spans(), 'GET /unavailable').status.code).toBe(SpanStatusCode.ERROR);
    expect(only(spans(), 'GET /unavailable').attributes['error.type']).toBe('503');
    expect(only(spans(), 'GET /bad').status.code).toBe(SpanStatusCode.UNSET);
    expect(only(spans(), 'GET /bad').attributes['error.type']).toBeUndefined();
  });

  it('names an unmatched request by its method alone, without http.route', async () => {
    const { app, spans } = setup();
    await request(app).get('/no/such/page').expect(404);
    const span = only(spans(), 'GET');
    expect(span.attributes['http.route']).toBeUndefined();
    expect(span.attributes['http.response.status_code']).toBe(404);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('continues the trace of a valid traceparent, keeping tracestate and baggage', async () => {
    const { app, spans } = setup();
    const res = await request(app)
      .get('/api/users/7')
      .set('traceparent', `00-${PARENT_TRACE}-${PARENT_SPAN}-01`)
      .set('tracestate', 'vendor=abc')
      .set('baggage', 'tenant=acme')
      .expect(200);
    expect(res.body.tenant).toBe('acme');
    const span = only(spans(), 'GET /api/users/:id');
    expect(span.spanContext().traceId).toBe(PARENT_TRACE);
    expect(span.parentSpanContext).toMatchObject({ spanId: PARENT_SPAN, isRemote: true });
    expect(span.spanContext().traceState?.get('vendor')).toBe('abc');
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${PARENT_SPAN}-01`],
    ['version ff', `ff-${PARENT_TRACE}-${PARENT_SPAN}-01`],
    ['short span id', `00-${PARENT_TRACE}-b7ad6b71-01`],
    ['upper-case hex', `00-${PARENT_TRACE.toUpperCase()}-${PARENT_SPAN}-01`],
  ])('starts a new trace for a malformed traceparent (%s)', async (_case, value) => {
    const { app, spans } = setup();
    await request(app).get('/api/users/7').set('traceparent', value).set('baggage', '%%%;;;').expect(200);
    const span = only(spans(), 'GET /api/users/:id');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe(PARENT_TRACE);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(true);
  });

  it('follows an unsampled parent: no span, and the request is served', async () => {
    const { app, spans } = setup();
    await request(app).get('/api/users/7').set('traceparent', `00-${PARENT_TRACE}-${PARENT_SPAN}-00`).expect(200);
    expect(spans()).toHaveLength(0);
  });

  it("does not trace the library's own routes", async () => {
    const { app, spans } = setup();
    await request(app).get('/health').expect(200);
    await request(app).get('/health/live').expect(200);
    expect(spans()).toHaveLength(0);
  });
});
