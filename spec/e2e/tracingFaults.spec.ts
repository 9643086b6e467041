import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startOtlpReceiver } from '../fixtures/tracingOtlpReceiver';
import { startTracingService } from '../fixtures/tracingProcess';

// A trace backend that refuses connections or never answers must cost requests nothing,
// keep memory bounded (spans past the queue limit are dropped) and show up as counters.
jest.setTimeout(90_000);

async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Per-request latencies (ms) of `n` sequential requests. */
async function latencies(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/items/${i}`);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    out.push(performance.now() - t0);
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A counter's value from a real scrape of the service's /metrics. */
async function counter(url: string, name: string, reason?: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && (reason === undefined || l.includes(`reason="${reason}"`)));
  return line === undefined ? NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const FAST = { OTEL_BSP_SCHEDULE_DELAY: '20', OTEL_EXPORTER_OTLP_TIMEOUT: '1000', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };

it('endpoint refusing connections: latency as without export, failures and drops counted, reported once, no unhandled rejection', async () => {
  const baseline = await startTracingService({ OTEL_TRACES_EXPORTER: 'none' });
  const down = await startTracingService({ ...FAST, OTEL_EXPORTER_OTLP_ENDPOINT: await closedPortUrl() });
  try {
    await latencies(baseline.url, 20); // warm-up
    await latencies(down.url, 20);
    const base = await latencies(baseline.url, 60);
    const withDown = await latencies(down.url, 60);
    // Generous: a request waiting on the export would take the 1 s export timeout.
    expect(Math.max(...withDown)).toBeLessThan(1000);
    expect(median(withDown)).toBeLessThan(median(base) * 3 + 15);

    await until(async () => (await counter(down.url, 'express_observability_span_export_failures_total')) >= 1);
    const first = await counter(down.url, 'express_observability_spans_dropped_total', 'export_failed');
    expect(first).toBeGreaterThan(0);
    await latencies(down.url, 20);
    await until(async () => (await counter(down.url, 'express_observability_spans_dropped_total', 'export_failed')) > first);
  } finally {
    await baseline.stop();
  }
  const report = await down.stop();
  expect(report.stats.exportFailures).toBeGreaterThanOrEqual(2);
  // Many failures, one report per interval (60 s by default).
  expect(report.reports).toEqual({ exporter: 1 });
  expect(report.unhandled).toBe(0);
});

it('endpoint hanging: requests are not slowed, the queue stays at its limit and the rest is dropped and counted', async () => {
  const receiver = await startOtlpReceiver('hang');
  const service = await startTracingService({
    ...FAST,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_MAX_QUEUE_SIZE: '20',
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10',
  });
  try {
    const times = await latencies(service.url, 150);
    expect(Math.max(...times)).toBeLessThan(1000);
    expect(receiver.requests.length).toBeGreaterThan(0);
    const dropped = await counter(service.url, 'express_observability_spans_dropped_total', 'queue_full');
    // 300 spans (2 per request) against a queue of 20 behind exports that never return.
    expect(dropped).toBeGreaterThan(100);
  } finally {
    const report = await service.stop();
    await receiver.close();
    expect(report.stats.droppedQueueFull).toBeGreaterThan(100);
    expect(report.unhandled).toBe(0);
  }
});
