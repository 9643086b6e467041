import { startOtlpReceiver } from '../fixtures/tracingOtlpReceiver';
import { startTracingService } from '../fixtures/tracingProcess';

// The OTLP exporter loads `http` with a dynamic import(), which Jest's module sandbox rejects
// (opentelemetry-js#6035); the exporting service therefore runs as its own Node process,
// which is also the only honest way to configure it through environment variables alone.
jest.setTimeout(60_000);

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

function otelEnv(protocol: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: 'env-configured',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret%20key,x-tenant=acme',
    OTEL_BSP_SCHEDULE_DELAY: '50',
  };
}

async function tracedRequest(url: string): Promise<void> {
  const res = await fetch(`${url}/api/items/1`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT}-01` } });
  expect(res.status).toBe(200);
}

describe('OTLP export configured only through OTEL_* environment variables', () => {
  it('http/json: a loopback receiver gets the spans, the resource and the headers', async () => {
    const service = await startTracingService(otelEnv('http/json'));
    try {
      await tracedRequest(service.url);
      await receiver.waitFor((r) => r.length > 0);
    } finally {
      await service.stop();
    }
    const [req] = receiver.requests;
    expect(req!.path).toBe('/v1/traces');
    expect(req!.contentType).toBe('application/json');
    expect(req!.headers).toMatchObject({ 'x-api-key': 'secret key', 'x-tenant': 'acme' });

    const body = JSON.parse(req!.body.toString('utf8'));
    expect(body.resourceSpans[0].resource.attributes).toEqual(
      expect.arrayContaining([
        { key: 'service.name', value: { stringValue: 'env-configured' } },
        { key: 'deployment.environment.name', value: { stringValue: 'test' } },
      ]),
    );
    const spans = body.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
    const server = spans.find((s: any) => s.name === 'GET /api/items/:id');
    const child = spans.find((s: any) => s.name === 'load item');
    expect(server).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT, kind: 2 });
    expect(child).toMatchObject({ traceId: TRACE_ID, parentSpanId: server.spanId, kind: 1 });
    expect(server.attributes).toEqual(expect.arrayContaining([{ key: 'http.route', value: { stringValue: '/api/items/:id' } }]));
  });

  it('http/protobuf: the receiver gets a protobuf body holding the trace id, span names and service', async () => {
    const service = await startTracingService(otelEnv('http/protobuf'));
    try {
      await tracedRequest(service.url);
      await receiver.waitFor((r) => r.length > 0);
    } finally {
      await service.stop();
    }
    const [req] = receiver.requests;
    expect(req!.path).toBe('/v1/traces');
    expect(req!.contentType).toBe('application/x-protobuf');
    expect(req!.headers['x-api-key']).toBe('secret key');
    // OTLP protobuf carries ids as raw bytes and strings as UTF-8.
    expect(req!.body.includes(Buffer.from(TRACE_ID, 'hex'))).toBe(true);
    expect(req!.body.includes(Buffer.from(PARENT, 'hex'))).toBe(true);
    expect(req!.body.includes(Buffer.from('GET /api/items/:id'))).toBe(true);
    expect(req!.body.includes(Buffer.from('load item'))).toBe(true);
    expect(req!.body.includes(Buffer.from('env-configured'))).toBe(true);
  });

  it('shutdown flushes spans still waiting in the batch queue to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', async () => {
    const service = await startTracingService({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/custom/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    await tracedRequest(service.url);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests).toHaveLength(0);
    const report = await service.stop();
    expect(receiver.requests.map((r) => r.path)).toEqual(['/custom/traces']);
    expect(receiver.requests[0]!.body.toString()).toContain('GET /api/items/:id');
    expect(report.stats).toMatchObject({ exportedSpans: 2, exportFailures: 0 });
  });
});
