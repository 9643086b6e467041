/**
 * Decorator overhead: nanoseconds per call of a bare method, each decorator, all three stacked,
 * and the same instrumentation written by hand with the same APIs (the instance's tracer,
 * metric definitions and logger). Target: each decorator within 2 us/call of the hand-written one.
 *
 *   npx ts-node --transpile-only bench/decorators.bench.ts [--smoke]
 *
 * `runDecoratorsBench({ smoke })` returns the rows and a markdown table for `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { createObservability, Logged, Metered, resetGlobalObservability, setGlobalObservability, Traced } from '../index';
import { CountingSpanExporter, devNullTransport } from './nullOutputs';

/** Per-call cost of one decorator (or the stack) against its hand-written equivalent. */
export interface DecoratorBenchRow {
  readonly variant: string;
  readonly decoratedNs: number;
  readonly handWrittenNs: number | undefined;
  /** decorated minus hand-written, ns per call; the target is at most 2000. */
  readonly deltaNs: number | undefined;
  readonly withinTarget: boolean | undefined;
}

/** What {@link runDecoratorsBench} returns. */
export interface DecoratorBenchResult {
  readonly rows: DecoratorBenchRow[];
  readonly bareNs: number;
  readonly noInstanceNs: number;
  readonly worstDeltaNs: number;
  readonly withinTarget: boolean;
  readonly markdown: string;
}

const TARGET_NS = 2000;
type Work = (x: number) => number;

/** Runs the micro-benchmark; `smoke` runs a few milliseconds per variant to check it works. */
export async function runDecoratorsBench(options: { smoke?: boolean } = {}): Promise<DecoratorBenchResult> {
  const smoke = options.smoke === true;
  const exporter = new CountingSpanExporter();
  const devNull = devNullTransport();
  const obs = createObservability({
    serviceName: 'decorators-bench',
    environment: 'bench',
    tracing: { exporter, processor: 'batch', recentSpans: 0, batch: { maxQueueSize: 200_000, maxExportBatchSize: 4096, scheduledDelayMs: 20 } },
    logging: { level: 'info', format: 'json', transports: [devNull.transport] },
  });
  setGlobalObservability(obs);
  try {
    const hand = handWritten(obs);
    // Each decorator is measured in turns with its hand-written twin only, so the garbage one
    // pair leaves (log lines, spans) is not collected on another pair's clock.
    const pairs: Array<Record<string, Work>> = [
      { traced: bound(new WithTraced()), handTraced: hand.traced },
      { metered: bound(new WithMetered()), handMetered: hand.metered },
      { logged: bound(new WithLogged()), handLogged: hand.logged },
      { stacked: bound(new WithAll()), handStacked: hand.stacked },
    ];
    // Between chunks spans export, as they would between requests (log lines are written as they come).
    const settle = async (): Promise<void> => {
      await obs.tracing.forceFlush();
    };
    const ns: Record<string, number> = {};
    for (const pair of pairs) Object.assign(ns, await measureAll(pair, smoke, settle));
    resetGlobalObservability();
    const noInstance = await measureAll({ bare: bound(new Bare()), noInstance: bound(new WithAll()) }, smoke, async () => undefined);
    ns.bare = noInstance.bare!;
    const rows = (['traced', 'metered', 'logged', 'stacked'] as const).map((v): DecoratorBenchRow => {
      const handName = `hand${v[0]!.toUpperCase()}${v.slice(1)}`;
      const delta = ns[v]! - ns[handName]!;
      return { variant: v === 'stacked' ? 'all three stacked' : `@${v[0]!.toUpperCase()}${v.slice(1)}`, decoratedNs: ns[v]!, handWrittenNs: ns[handName], deltaNs: delta, withinTarget: delta <= TARGET_NS };
    });
    const all: DecoratorBenchRow[] = [
      { variant: 'bare method', decoratedNs: ns.bare!, handWrittenNs: undefined, deltaNs: undefined, withinTarget: undefined },
      { variant: 'stacked, no instance (untouched)', decoratedNs: noInstance.noInstance!, handWrittenNs: ns.bare, deltaNs: noInstance.noInstance! - ns.bare!, withinTarget: undefined },
      ...rows,
    ];
    const worstDeltaNs = Math.max(...rows.filter((r) => r.variant !== 'all three stacked').map((r) => r.deltaNs!));
    return { rows: all, bareNs: ns.bare!, noInstanceNs: noInstance.noInstance!, worstDeltaNs, withinTarget: worstDeltaNs <= TARGET_NS, markdown: render(all, exporter.exported, smoke) };
  } finally {
    resetGlobalObservability();
    await obs.shutdown();
    devNull.close();
  }
}

class Bare {
  work(x: number): number {
    return x + 1;
  }
}
class WithTraced {
  @Traced()
  work(x: number): number {
    return x + 1;
  }
}
class WithMetered {
  @Metered()
  work(x: number): number {
    return x + 1;
  }
}
class WithLogged {
  @Logged()
  work(x: number): number {
    return x + 1;
  }
}
class WithAll {
  @Traced() @Metered() @Logged()
  work(x: number): number {
    return x + 1;
  }
}

function bound(target: { work: Work }): Work {
  return (x) => target.work(x);
}

/** The same records, written by hand against the instance's APIs, as a careful user would. */
function handWritten(obs: ReturnType<typeof createObservability>): Record<'traced' | 'metered' | 'logged' | 'stacked', Work> {
  const tracer = obs.tracer;
  const logger = obs.logger;
  const spanOptions = { kind: SpanKind.INTERNAL, attributes: { 'code.function.name': 'Hand.work', 'code.namespace': 'Hand' } };
  const labels = ['class', 'method', 'outcome', 'error_type'] as const;
  const duration = obs.metrics!.define.histogram({ name: 'hand_duration_seconds', help: 'Hand-written method duration.', labelNames: labels, buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
  const calls = obs.metrics!.define.counter({ name: 'hand_calls_total', help: 'Hand-written method calls.', labelNames: labels });
  const ok = { class: 'Hand', method: 'work', outcome: 'success', error_type: '' };

  const fail = (span: Span, e: unknown): void => {
    span.recordException(e as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
  };
  const traced: Work = (x) =>
    tracer.startActiveSpan('Hand.work', spanOptions, (span) => {
      try {
        return x + 1;
      } catch (e) {
        fail(span, e);
        throw e;
      } finally {
        span.end();
      }
    });
  const meter = (fn: Work): Work => (x) => {
    const start = performance.now();
    const result = fn(x);
    duration.observe(ok, (performance.now() - start) / 1000);
    calls.inc(ok);
    return result;
  };
  const log = (fn: Work): Work => (x) => {
    if (logger.isLevelEnabled('debug')) logger.log('debug', 'Hand.work called', { class: 'Hand', function: 'work' });
    const start = performance.now();
    try {
      const result = fn(x);
      if (logger.isLevelEnabled('info')) logger.log('info', 'Hand.work succeeded', { class: 'Hand', function: 'work', duration_ms: Math.round((performance.now() - start) * 1000) / 1000 });
      return result;
    } catch (e) {
      logger.log('error', 'Hand.work failed', { class: 'Hand', function: 'work', error: { message: (e as Error).message } });
      throw e;
    }
  };
  const plain: Work = (x) => x + 1;
  const stacked: Work = (x) =>
    tracer.startActiveSpan('Hand.work', spanOptions, (span) => {
      try {
        return meter(log(plain))(x);
      } finally {
        span.end();
      }
    });
  return { traced, metered: meter(plain), logged: log(plain), stacked };
}

/**
 * Median ns/call of each subject. The machine may be shared, so each sample is CPU time of this
 * process (not wall time) over a short chunk; subjects take turns chunk by chunk so drift hits
 * them alike, and `between` lets exports and log writes finish after each chunk.
 */
async function measureAll(subjects: Record<string, Work>, smoke: boolean, between: () => Promise<void>): Promise<Record<string, number>> {
  const chunkNs = smoke ? 1e6 : 10e6;
  const rounds = smoke ? 2 : 41;
  const iterations: Record<string, number> = {};
  const samples: Record<string, number[]> = {};
  for (const [name, fn] of Object.entries(subjects)) {
    run(fn, 5000); // warm-up and JIT
    const per = run(fn, 5000) / 5000;
    iterations[name] = Math.max(500, Math.min(1_000_000, Math.round(chunkNs / Math.max(per, 1))));
    samples[name] = [];
  }
  await between();
  const entries = Object.entries(subjects);
  for (let r = 0; r < rounds; r++) {
    // Alternate who goes first, so neither subject always follows the other's leftovers.
    for (const [name, fn] of r % 2 === 0 ? entries : [...entries].reverse()) {
      samples[name]!.push(run(fn, iterations[name]!) / iterations[name]!);
      await between();
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, median(s)]));
}

let sink = 0;
/** CPU nanoseconds (user + system) spent on `n` calls. */
function run(fn: Work, n: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) sink = (sink + fn(i)) | 0;
  const used = process.cpuUsage(start);
  return (used.user + used.system) * 1000;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function render(rows: DecoratorBenchRow[], spans: number, smoke: boolean): string {
  const n = (v: number | undefined): string => (v === undefined ? '' : v.toFixed(0));
  return [
    '| variant | ns/call | hand-written ns/call | delta ns | within 2 us |',
    '|---|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.variant} | ${n(r.decoratedNs)} | ${n(r.handWrittenNs)} | ${n(r.deltaNs)} | ${r.withinTarget === undefined ? '' : r.withinTarget ? 'yes' : 'NO'} |`),
    '',
    `${smoke ? '(Smoke run: too short for meaningful figures.) ' : ''}Per-call CPU time, median of interleaved chunks. Sync method \`x + 1\`; spans recorded and batch-exported to a counting exporter (${spans} exported), metrics into the instance registry, log lines at info written as JSON to /dev/null (entry lines at debug are filtered).`,
  ].join('\n');
}

if (require.main === module) {
  runDecoratorsBench({ smoke: process.argv.includes('--smoke') }).then(
    (result) => {
      console.log(result.markdown);
      console.log(`\nworst single-decorator delta: ${result.worstDeltaNs.toFixed(0)} ns/call (target <= ${TARGET_NS}): ${result.withinTarget ? 'met' : 'MISSED'}`);
      process.exitCode = sink === 0.5 ? 1 : 0;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
