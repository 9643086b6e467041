import { startOtlpReceiver, type OtlpRequest } from '../fixtures/tracingOtlpReceiver';
import { startTracingService } from '../fixtures/tracingProcess';

// Two services, each its own Node process started with the preload entry (register.ts, as
// `node --require express-observability/register`), exporting OTLP/JSON to one receiver.
// Service A calls B with the global fetch and with http.request and no tracing code at all.
jest.setTimeout(90_000);

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
}
const SERVER = 2;
const CLIENT = 3;

function spansOf(requests: OtlpRequest[]): Span[] {
  return requests.flatMap((r) =>
    JSON.parse(r.body.toString('utf8')).resourceSpans.flatMap((rs: any) => {
      const service = rs.resource.attributes.find((a: any) => a.key === 'service.name').value.stringValue;
      return rs.scopeSpans.flatMap((ss: any) => ss.spans.map((s: any) => ({ ...s, service })));
    }),
  );
}

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let a: Awaited<ReturnType<typeof startTracingService>>;
let b: Awaited<ReturnType<typeof startTracingService>>;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const env = (name: string) => ({ OTEL_SERVICE_NAME: name, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '50' });
  b = await startTracingService(env('service-b'), { preload: true });
  a = await startTracingService({ ...env('service-a'), DOWNSTREAM_URL: b.url }, { preload: true });
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await receiver.close();
});

describe.each([
  ['fetch', '/call/fetch', 'GET /api/items/:id'],
  ['http.request', '/call/http', 'GET /api/items/:id'],
])('a request through two services with %s is one trace', (_client, path, bServerName) => {
  it("B's server span is a child of A's CLIENT span, under A's server span", async () => {
    const res = await fetch(`${a.url}${path}`);
    expect(res.status).toBe(200);
    const { traceparent } = (await res.json()) as { traceparent: string };
    const traceId = traceparent.split('-')[1]!;

    await receiver.waitFor((r) => spansOf(r).filter((s) => s.traceId === traceId).length >= 4);
    const trace = spansOf(receiver.requests).filter((s) => s.traceId === traceId);
    const aServer = trace.find((s) => s.service === 'service-a' && s.kind === SERVER)!;
    const aClient = trace.find((s) => s.service === 'service-a' && s.kind === CLIENT)!;
    const bServer = trace.find((s) => s.service === 'service-b' && s.kind === SERVER)!;
    const bChild = trace.find((s) => s.service === 'service-b' && s.name === 'load item')!;

    expect(aServer.name).toBe(`GET ${path}`);
    expect(aServer.parentSpanId ?? '').toBe('');
    expect(aClient.parentSpanId).toBe(aServer.spanId);
    expect(bServer.name).toBe(bServerName);
    expect(bServer.parentSpanId).toBe(aClient.spanId);
    expect(bChild.parentSpanId).toBe(bServer.spanId);
    // B saw exactly the context of A's client span: sampled, and random (W3C Level 2) as A
    // started the trace.
    expect(traceparent).toBe(`00-${traceId}-${aClient.spanId}-03`);
    expect(trace.filter((s) => s.kind === CLIENT)).toHaveLength(1);
  });
});

describe.each([
  ['fetch', '/call/fetch'],
  ['http.request', '/call/http'],
])('W3C Level 2 through the preload’s %s client spans', (_client, path) => {
  it.each(['02', '03', '01'])('an incoming -%s reaches the next service with the same flags and trace id', async (flags) => {
    const traceId = `7e57${flags}`.padEnd(32, 'c');
    const res = await fetch(`${a.url}${path}`, { headers: { traceparent: `00-${traceId}-1122334455667788-${flags}` } });
    expect(res.status).toBe(200);
    const { traceparent } = (await res.json()) as { traceparent: string };
    expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-${flags}$`));
    expect(traceparent).not.toContain('1122334455667788');
  });
});

it('with the preload entry in its default mode, a service still makes one SERVER span per request, no http-layer span', async () => {
  const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const res = await fetch(`${b.url}/api/items/9`, { headers: { traceparent: `00-${traceId}-1122334455667788-01` } });
  expect(res.status).toBe(200);
  await receiver.waitFor((r) => spansOf(r).filter((s) => s.traceId === traceId).length >= 2);
  await new Promise((r) => setTimeout(r, 200));
  const trace = spansOf(receiver.requests).filter((s) => s.traceId === traceId);
  expect(trace.map((s) => [s.name, s.kind]).sort()).toEqual([
    ['GET /api/items/:id', SERVER],
    ['load item', 1],
  ]);
  const stats = (await (await fetch(`${b.url}/stats`)).json()) as { unhandled: number };
  expect(stats.unhandled).toBe(0);
});

it("full mode: OTel's http SERVER span (not duplicated) with one span per Express layer", async () => {
  const env = { OTEL_SERVICE_NAME: 'service-full', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '50' };
  const full = await startTracingService({ ...env, EXPRESS_OBSERVABILITY_INSTRUMENTATION: 'full' }, { preload: true });
  const traceId = '0123456789abcdef0123456789abcdef';
  try {
    const res = await fetch(`${full.url}/api/items/4`, { headers: { traceparent: `00-${traceId}-1122334455667788-01` } });
    expect(res.status).toBe(200);
    await receiver.waitFor((r) => spansOf(r).some((s) => s.traceId === traceId && s.kind === SERVER));
  } finally {
    await full.stop();
  }
  const trace = spansOf(receiver.requests).filter((s) => s.traceId === traceId);
  const servers = trace.filter((s) => s.kind === SERVER);
  expect(servers).toHaveLength(1);
  expect(servers[0]).toMatchObject({ name: 'GET /api/items/:id', parentSpanId: '1122334455667788' });
  const layers = trace.filter((s) => s.name.startsWith('middleware - ') || s.name.startsWith('request handler'));
  expect(layers.length).toBeGreaterThanOrEqual(2);
  for (const layer of layers) expect(layer.parentSpanId).toBe(servers[0]!.spanId);
  expect(trace.find((s) => s.name === 'load item')).toBeDefined();
});
