import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import type { ObservabilityOptions } from '../../../lib/config';
import type { ObservabilityCore } from '../../../lib/createObservabilityCore';
import type { TelemetrySource } from '../../../lib/errorReporter';
import { resetGlobalObservability, setGlobalObservability } from '../../../lib/globalObservability';
import { MemoryTransport } from '../../helpers/memoryTransport';
import { testObservability } from '../../helpers/testObservability';

/** Keeps every entry and which span was active when it was written (to test stacking order). */
export class SpanAwareTransport extends MemoryTransport {
  readonly activeSpanIds: Array<string | undefined> = [];

  override log(info: any, callback: () => void): void {
    this.activeSpanIds.push(trace.getActiveSpan()?.spanContext().spanId);
    super.log(info, callback);
  }
}

/** One real instance with in-memory outputs, set as the global instance the decorators read. */
export interface Harness {
  readonly obs: ObservabilityCore;
  readonly logs: SpanAwareTransport;
  readonly reported: Array<{ source: TelemetrySource; error: unknown }>;
  spans(): ReadableSpan[];
  scrape(): Promise<string>;
}

/** A real instance exporting spans to memory as each ends; `global` makes it the decorators' default. */
export function createHarness(options: ObservabilityOptions = {}, global = true): Harness & { close(): Promise<void> } {
  const exporter = new InMemorySpanExporter();
  const logs = new SpanAwareTransport();
  const reported: Harness['reported'] = [];
  const { obs } = testObservability({
    onError: (error, source) => reported.push({ source, error }),
    tracing: { exporter, processor: 'simple', recentSpans: 0 },
    ...options,
    logging: { transports: [logs], level: 'debug', ...options.logging },
  });
  if (global) setGlobalObservability(obs);
  return {
    obs,
    logs,
    reported,
    spans: () => exporter.getFinishedSpans(),
    scrape: () => (obs.metrics ? obs.metrics.registry.metrics() : Promise.resolve('')),
    async close() {
      if (global) resetGlobalObservability();
      await obs.shutdown();
    },
  };
}

/** Sets up a fresh harness around each test of the calling `describe`. */
export function useHarness(options: ObservabilityOptions = {}): () => Harness {
  let current: (Harness & { close(): Promise<void> }) | undefined;
  beforeEach(() => {
    current = createHarness(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => current!;
}

/** Value of the sample of `name` whose labels include `labels`, from a scrape; undefined if absent. */
export function sample(scrape: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of scrape.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelPart = line.slice(name.length, line.lastIndexOf(' '));
    if (wanted.every((w) => labelPart.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** Resolves after the current macrotask queue drains: lets settled promises' handlers run. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
