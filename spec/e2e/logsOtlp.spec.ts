import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startOtlpReceiver, type OtlpRequest } from '../fixtures/tracingOtlpReceiver';
import { startTracingService } from '../fixtures/tracingProcess';

// The OTLP exporters load `http` with a dynamic import() Jest's sandbox rejects, so the
// service runs as its own Node process (as in tracingOtlp.spec.ts), configured by environment.
jest.setTimeout(90_000);

const SCRIPT = 'spec/fixtures/logsOtlpService.ts';

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

interface JsonLogRecord {
  body: { stringValue: string };
  severityNumber: number;
  severityText: string;
  traceId?: string;
  spanId?: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

function recordsOf(requests: OtlpRequest[]): { resource: { key: string; value: Record<string, unknown> }[]; record: JsonLogRecord }[] {
  return requests
    .filter((r) => r.path === '/v1/logs' && r.contentType.includes('json'))
    .flatMap((r) => JSON.parse(r.body.toString('utf8')).resourceLogs as any[])
    .flatMap((rl) => rl.scopeLogs.flatMap((sl: any) => sl.logRecords.map((record: JsonLogRecord) => ({ resource: rl.resource.attributes, record }))));
}

const attr = (r: JsonLogRecord, key: string) => r.attributes.find((a) => a.key === key)?.value;

function env(protocol: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: 'orders-env',
    SERVICE_VERSION: '7.8.9',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-api-key=logs%20key',
    OTEL_BLRP_SCHEDULE_DELAY: '50',
  };
}

it('http/json: each record arrives once, with the trace context of its request’s server span, severity, redaction and the resource', async () => {
  const service = await startTracingService(env('http/json'), { script: SCRIPT });
  let ids: { traceId: string; spanId: string };
  try {
    const res = await fetch(`${service.url}/api/orders/17`);
    ids = (await res.json()) as typeof ids;
    await receiver.waitFor((r) => recordsOf(r).some((x) => x.record.body.stringValue === 'request completed'));
  } finally {
    await service.stop();
  }
  const [req] = receiver.requests;
  expect(req!.headers['x-api-key']).toBe('logs key');
  const records = recordsOf(receiver.requests);
  const app = records.filter((x) => x.record.body.stringValue === 'order 17 loaded');
  const access = records.filter((x) => x.record.body.stringValue === 'request completed');
  expect(app).toHaveLength(1);
  expect(access).toHaveLength(1);
  for (const { record, resource } of [...app, ...access]) {
    expect(record).toMatchObject({ traceId: ids!.traceId, spanId: ids!.spanId, severityNumber: 9, severityText: 'info' });
    expect(resource).toEqual(
      expect.arrayContaining([
        { key: 'service.name', value: { stringValue: 'orders-env' } },
        { key: 'service.version', value: { stringValue: '7.8.9' } },
        { key: 'deployment.environment.name', value: { stringValue: 'test' } },
      ]),
    );
  }
  expect(attr(app[0]!.record, 'password')).toEqual({ stringValue: '[REDACTED]' });
  expect(attr(app[0]!.record, 'order.id')).toEqual({ stringValue: '17' });
  expect(attr(app[0]!.record, 'logger')).toEqual({ stringValue: 'orders' });
  expect(attr(access[0]!.record, 'http.route')).toEqual({ stringValue: '/api/orders/:id' });
  expect(receiver.requests.map((r) => r.body.toString()).join('')).not.toContain('hunter2');
});

it('http/protobuf: the body holds the record, its trace and span ids as bytes, and the service', async () => {
  const service = await startTracingService(env('http/protobuf'), { script: SCRIPT });
  let ids: { traceId: string; spanId: string };
  try {
    ids = (await (await fetch(`${service.url}/api/orders/18`)).json()) as typeof ids;
    await receiver.waitFor((r) => r.some((x) => x.body.includes(Buffer.from('request completed'))));
  } finally {
    await service.stop();
  }
  const logs = receiver.requests.filter((r) => r.path === '/v1/logs');
  expect(logs.every((r) => r.contentType === 'application/x-protobuf')).toBe(true);
  const body = Buffer.concat(logs.map((r) => r.body));
  expect(body.includes(Buffer.from('order 18 loaded'))).toBe(true);
  expect(body.includes(Buffer.from(ids!.traceId, 'hex'))).toBe(true);
  expect(body.includes(Buffer.from(ids!.spanId, 'hex'))).toBe(true);
  expect(body.includes(Buffer.from('orders-env'))).toBe(true);
  expect(body.includes(Buffer.from('hunter2'))).toBe(false);
});

it('shutdown flushes the records still waiting in the batch queue to OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', async () => {
  const service = await startTracingService(
    {
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${receiver.url}/custom/logs`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BLRP_SCHEDULE_DELAY: '600000',
    },
    { script: SCRIPT },
  );
  await fetch(`${service.url}/api/orders/5`);
  await new Promise((r) => setTimeout(r, 300));
  expect(receiver.requests).toHaveLength(0);
  const report = (await service.stop()) as unknown as { stats: Record<string, number> };
  expect(receiver.requests.map((r) => r.path)).toEqual(['/custom/logs']);
  expect(receiver.requests[0]!.body.toString()).toContain('order 5 loaded');
  expect(report.stats).toMatchObject({ exportedRecords: 2, exportFailures: 0, droppedShutdown: 0 });
});

it('with OpenTelemetry’s winston instrumentation and a global LoggerProvider exporting too, each record still goes out once', async () => {
  const service = await startTracingService({ ...env('http/json'), WINSTON_INSTRUMENTATION: '1' }, { script: SCRIPT });
  let transports: string[];
  try {
    for (let i = 0; i < 3; i++) {
      const res = (await (await fetch(`${service.url}/api/orders/${i}`)).json()) as { transports: string[] };
      transports = res.transports;
    }
    await receiver.waitFor((r) => recordsOf(r).filter((x) => x.record.body.stringValue === 'request completed').length >= 3);
    // Give a second copy time to arrive, if one were sent.
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await service.stop();
  }
  const bodies = recordsOf(receiver.requests).map((x) => x.record.body.stringValue);
  for (let i = 0; i < 3; i++) expect(bodies.filter((b) => b === `order ${i} loaded`)).toHaveLength(1);
  expect(bodies.filter((b) => b === 'request completed')).toHaveLength(3);
  // The instrumentation's own transport was taken off the library's logger.
  // (LogRing is the console's record ring, on outside production.)
  expect(transports!.filter((t) => t !== 'LogRing')).toEqual(['LineTransport', 'OtlpLogTransport']);
});

async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function latencies(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/orders/${i}`);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    out.push(performance.now() - t0);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

it('a collector refusing connections leaves latency alone; failures and drops are counted and reported once', async () => {
  const fast = { OTEL_BLRP_SCHEDULE_DELAY: '20', OTEL_EXPORTER_OTLP_TIMEOUT: '1000', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_TRACES_EXPORTER: 'none' };
  const baseline = await startTracingService({ OTEL_TRACES_EXPORTER: 'none' }, { script: SCRIPT });
  const down = await startTracingService({ ...fast, OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: await closedPortUrl() }, { script: SCRIPT });
  try {
    await latencies(baseline.url, 20);
    await latencies(down.url, 20);
    const base = await latencies(baseline.url, 60);
    const withDown = await latencies(down.url, 60);
    // Generous: a request waiting on the export would take the 1 s export timeout.
    expect(Math.max(...withDown)).toBeLessThan(1000);
    expect(median(withDown)).toBeLessThan(median(base) * 3 + 15);
    // The batch exports on its schedule: on a busy runner the first refused export may come a moment later.
    let text = '';
    for (let i = 0; i < 100; i++) {
      text = await (await fetch(`${down.url}/metrics`)).text();
      if (/express_observability_log_export_failures_total\{[^}]*\} [1-9]/.test(text)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toMatch(/express_observability_log_export_failures_total\{[^}]*\} [1-9]/);
    expect(text).toMatch(/express_observability_log_records_dropped_total\{[^}]*reason="export_failed"[^}]*\} [1-9]/);
  } finally {
    await baseline.stop();
  }
  const report = (await down.stop()) as unknown as { stats: Record<string, number>; reports: Record<string, number>; unhandled: number };
  expect(report.stats.exportFailures).toBeGreaterThanOrEqual(1);
  expect(report.reports).toEqual({ exporter: 1 });
  expect(report.unhandled).toBe(0);
});

it('a collector that hangs: requests are not slowed, the queue stays bounded, and shutdown ends by its deadline', async () => {
  const hanging = await startOtlpReceiver('hang');
  const service = await startTracingService(
    {
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_EXPORTER_OTLP_ENDPOINT: hanging.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BLRP_SCHEDULE_DELAY: '20',
      OTEL_BLRP_MAX_QUEUE_SIZE: '20',
      OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '10',
      SHUTDOWN_TIMEOUT_MS: '1000',
    },
    { script: SCRIPT },
  );
  try {
    const times = await latencies(service.url, 150);
    expect(Math.max(...times)).toBeLessThan(1000);
    expect(hanging.requests.length).toBeGreaterThan(0);
  } finally {
    const report = (await service.stop()) as unknown as { stats: Record<string, number>; unhandled: number; shutdownMs: number };
    await hanging.close();
    // 300 records (2 per request) against a queue of 20 behind exports that never return.
    expect(report.stats.droppedQueueFull).toBeGreaterThan(200);
    expect(report.stats.droppedShutdown).toBeGreaterThan(0);
    expect(report.shutdownMs).toBeLessThan(2500);
    expect(report.unhandled).toBe(0);
  }
});
