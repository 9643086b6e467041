import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { closeAll, testObservability } from '../../helpers/testObservability';

// obs.shutdown({ timeoutMs }) finishes by then whatever a hook or the trace backend does,
// and says what it left behind: a report per late hook, the cut-off spans counted.
afterEach(closeAll);

/** A backend that takes every batch and never answers. */
class StuckExporter implements SpanExporter {
  batches = 0;
  export(_spans: ReadableSpan[], _done: (r: ExportResult) => void): void {
    this.batches++;
  }
  async shutdown(): Promise<void> {}
}

it('a hook that never settles and a stuck exporter: shutdown finishes by its timeout, both reported, the spans counted as dropped', async () => {
  const reports: Array<[string, string]> = [];
  const exporter = new StuckExporter();
  const { obs } = testObservability({
    onError: (e, source) => reports.push([source, String(e)]),
    tracing: { exporter, batch: { scheduledDelayMs: 60_000 } },
  });
  let laterHookRan = false;
  obs.onShutdown(() => void (laterHookRan = true));
  obs.onShutdown(() => new Promise(() => undefined));
  for (let i = 0; i < 7; i++) obs.tracer.startSpan(`work ${i}`).end();

  const started = Date.now();
  await obs.shutdown({ timeoutMs: 300 });
  // Bounded by the timeout (plus the log flush), far below the exporter's or the processor's own timeouts.
  expect(Date.now() - started).toBeLessThan(3000);
  expect(obs.state.closed).toBe(true);
  // Hooks run last-registered first; the one after the stuck hook still ran.
  expect(laterHookRan).toBe(true);
  expect(exporter.batches).toBe(1);
  expect(obs.tracing.stats()).toMatchObject({ exportedSpans: 0, droppedShutdown: 7 });
  expect(reports).toEqual([
    ['shutdown', 'Error: an onShutdown hook did not finish by the shutdown deadline'],
    ['shutdown', expect.stringMatching(/^Error: span flush cut off by the shutdown deadline after \d+ ms: 7 spans dropped/)],
  ]);
  const text = (await obs.metrics!.render(undefined)).body;
  expect(text).toMatch(/^express_observability_spans_dropped_total\{reason="shutdown",service="test-service"\} 7$/m);
});

it('without a timeout, shutdown waits for hooks as before', async () => {
  const { obs } = testObservability();
  const order: string[] = [];
  obs.onShutdown(async () => {
    await new Promise((r) => setTimeout(r, 50));
    order.push('hook');
  });
  await obs.shutdown();
  order.push('closed');
  expect(order).toEqual(['hook', 'closed']);
  expect(obs.tracing.stats().droppedShutdown).toBe(0);
});
