import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { closeAll, testObservability } from '../../helpers/testObservability';

afterEach(closeAll);

/** A backend that refuses every batch, or never answers. */
class BrokenExporter implements SpanExporter {
  calls = 0;
  constructor(private readonly mode: 'fail' | 'hang') {}
  export(_spans: ReadableSpan[], done: (r: ExportResult) => void): void {
    this.calls++;
    if (this.mode === 'fail') setImmediate(() => done({ code: ExportResultCode.FAILED, error: new Error('503 from collector') }));
  }
  async shutdown(): Promise<void> {}
}

async function scrape(obs: ReturnType<typeof testObservability>['obs']): Promise<string> {
  return (await obs.metrics!.render(undefined)).body;
}

function value(text: string, name: string, reason?: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && (reason === undefined || l.includes(`reason="${reason}"`)));
  return Number(line?.slice(line.lastIndexOf(' ') + 1));
}

describe('export losses', () => {
  it('failed exports are counted per span and per call, and reported once per interval', async () => {
    const reports: Array<[unknown, string]> = [];
    const exporter = new BrokenExporter('fail');
    const { obs } = testObservability({
      onError: (e, source) => reports.push([e, source]),
      tracing: { exporter, batch: { scheduledDelayMs: 1, maxExportBatchSize: 5 } },
    });
    expect(value(await scrape(obs), 'express_observability_spans_dropped_total', 'export_failed')).toBe(0);
    for (let i = 0; i < 20; i++) obs.tracer.startSpan(`s${i}`).end();
    // forceFlush rejects at the first failed batch; wait for all four batches to settle.
    await obs.tracing.forceFlush().catch(() => undefined);
    for (let i = 0; i < 100 && obs.tracing.stats().droppedExportFailed < 20; i++) await new Promise((r) => setTimeout(r, 10));
    const text = await scrape(obs);
    expect(value(text, 'express_observability_spans_dropped_total', 'export_failed')).toBe(20);
    expect(value(text, 'express_observability_span_export_failures_total')).toBe(exporter.calls);
    expect(obs.tracing.stats()).toMatchObject({ droppedExportFailed: 20, exportedSpans: 0 });
    expect(reports).toHaveLength(1);
    expect(reports[0]![1]).toBe('exporter');
    expect(String(reports[0]![0])).toMatch(/export.*503 from collector/);
  });

  it('a backend that never answers: the queue holds maxQueueSize spans, the rest are dropped and counted', async () => {
    const { obs } = testObservability({
      onError: () => undefined,
      tracing: { exporter: new BrokenExporter('hang'), batch: { maxQueueSize: 10, maxExportBatchSize: 5, scheduledDelayMs: 60_000, exportTimeoutMs: 100 } },
    });
    for (let i = 0; i < 100; i++) obs.tracer.startSpan(`s${i}`).end();
    // One batch of 5 went to the (stuck) exporter at once; 10 wait in the queue; 85 were dropped.
    expect(obs.tracing.stats().droppedQueueFull).toBe(85);
    expect(value(await scrape(obs), 'express_observability_spans_dropped_total', 'queue_full')).toBe(85);
  });

  it('without the metrics pillar, losses are still counted in stats()', async () => {
    const { obs } = testObservability({ metrics: false, onError: () => undefined, tracing: { exporter: new BrokenExporter('fail'), processor: 'simple' } });
    obs.tracer.startSpan('x').end();
    await new Promise((r) => setImmediate(r));
    expect(obs.tracing.stats()).toMatchObject({ exportFailures: 1, droppedExportFailed: 1 });
  });
});
