/**
 * Decorator cost: CPU per call of a sync method under `@Traced`, `@Metered`, `@Logged` and all
 * three stacked, over the same method bare, including the work the calls cause later on the
 * event loop (the batch export of their spans, the write of their log lines).
 *
 *   npx ts-node --transpile-only bench/decorators.bench.ts [--smoke]
 *
 * `runDecoratorsBench({ smoke })` returns the figures and a markdown table for `npm run bench`.
 * The measuring runs in a child process on this file compiled to JavaScript, as the package
 * ships: ts-node loads node's `domain`, which slows every `EventEmitter.emit` in the process.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { ROOT_CONTEXT, SpanKind, trace, type Context } from '@opentelemetry/api';
import { createObservability, Logged, Metered, resetGlobalObservability, Traced } from '../index';
import { runWithRequestContext, type RequestContext } from '../lib/context';
import { CountingSpanExporter, devNullLineTransport } from './nullOutputs';

/** One decorated variant: its CPU per call over the bare method's, against its target. */
export interface DecoratorBenchRow {
  /** `traced`, `metered`, `logged` or `stacked`. */
  readonly key: string;
  readonly variant: string;
  readonly place: Place;
  /** Mean over rounds of (variant - bare) CPU ns per call. */
  readonly overheadNs: number;
  /** Lowest and highest per-round overhead. */
  readonly minNs: number;
  readonly maxNs: number;
  readonly targetNs: number;
  readonly withinTarget: boolean;
}

/** What {@link runDecoratorsBench} returns. */
export interface DecoratorBenchResult {
  readonly rows: DecoratorBenchRow[];
  /** CPU ns per call of the bare method (its share of the turns and flushes included), per place. */
  readonly bareNs: Record<Place, number>;
  /** All four targets met. */
  readonly withinTarget: boolean;
  readonly markdown: string;
}

const VARIANTS = [
  { key: 'traced', label: '@Traced', targetNs: 2500 },
  { key: 'metered', label: '@Metered', targetNs: 300 },
  { key: 'logged', label: '@Logged (success line at info written)', targetNs: 3000 },
  { key: 'stacked', label: 'all three stacked', targetNs: 6000 },
] as const;
type Key = 'bare' | (typeof VARIANTS)[number]['key'];

/** Calls per event-loop turn: a request handler calling a few decorated methods, then yielding. */
const CALLS_PER_TURN = 10;

/** Where the calls run: inside a request (request context, sampled server span active) or outside any. */
const PLACES = ['in a request', 'outside a request'] as const;
type Place = (typeof PLACES)[number];
type Subject = `${Place}: ${Key}`;

/** What the child process prints (one JSON line). */
interface ChildResult {
  /** CPU ns per call, per round, per subject. */
  readonly samples: Record<Subject, number[]>;
  readonly spansExported: number;
  /** Spans the traced calls should have made (and the server span). */
  readonly spansExpected: number;
  readonly spansDropped: number;
  readonly logBytes: number;
}

/** Runs the bench in a child process on the compiled code; `smoke` runs a few ms per variant to check it works. */
export async function runDecoratorsBench(options: { smoke?: boolean } = {}): Promise<DecoratorBenchResult> {
  const smoke = options.smoke === true;
  const script = compile();
  const { stdout } = await promisify(execFile)(process.execPath, [script, '--child', ...(smoke ? ['--smoke'] : [])], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const child = JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
  return summarize(child, smoke);
}

const ROOT = join(__dirname, '..');

/** Compiles this file and what it imports to plain JavaScript; returns the compiled file's path. */
function compile(): string {
  // Inside node_modules so packages resolve from there; one directory per checkout.
  const dir = join(ROOT, 'node_modules', '.cache', `express-observability-decorators-bench-${createHash('sha1').update(ROOT).digest('hex').slice(0, 8)}`);
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(
    process.execPath,
    [
      tsc,
      join(ROOT, 'bench', 'decorators.bench.ts'),
      ...['--outDir', dir, '--rootDir', ROOT, '--noCheck', '--skipLibCheck', '--module', 'commonjs', '--target', 'es2022'],
      ...['--esModuleInterop', '--resolveJsonModule', '--experimentalDecorators', '--emitDecoratorMetadata', '--declaration', 'false'],
    ],
    { stdio: 'inherit' },
  );
  return join(dir, 'bench', 'decorators.bench.js');
}

function summarize(child: ChildResult, smoke: boolean): DecoratorBenchResult {
  const bareNs = {} as Record<Place, number>;
  const rows: DecoratorBenchRow[] = [];
  for (const place of PLACES) {
    const bare = child.samples[`${place}: bare`];
    bareNs[place] = mean(bare);
    for (const v of VARIANTS) {
      const over = child.samples[`${place}: ${v.key}`].map((ns, i) => ns - bare[i]!);
      const overheadNs = mean(over);
      rows.push({ key: v.key, variant: v.label, place, overheadNs, minNs: Math.min(...over), maxNs: Math.max(...over), targetNs: v.targetNs, withinTarget: overheadNs <= v.targetNs });
    }
  }
  const n = (v: number): string => (v / 1000).toFixed(2);
  const markdown = [
    '| variant | called | CPU us/call over bare (min-max over rounds) | target | met |',
    '|---|---|---:|---:|---|',
    ...rows.map((r) => `| ${r.variant} | ${r.place} | ${n(r.overheadNs)} (${n(r.minNs)}-${n(r.maxNs)}) | <= ${n(r.targetNs)} | ${r.withinTarget ? 'yes' : 'NO'} |`),
    '',
    `${smoke ? '(Smoke run: too short for meaningful figures.) ' : ''}Sync method \`x + 1\`, ${CALLS_PER_TURN} calls per event-loop turn, inside a request ` +
      `(request context and a sampled server span active: child spans, lines with trace and request ids) or outside any (root spans, shorter lines); ` +
      `production config: spans batch-exported (default batch limits) to an exporter ` +
      `that counts and drops them (${child.spansExported} exported of ${child.spansExpected} started, ${child.spansDropped} dropped), metrics into the instance registry, ` +
      `log lines at info written as JSON to /dev/null through LineTransport (${child.logBytes} bytes; entry lines at debug are filtered). ` +
      `CPU time of the process (user + system) over each sample, the turns that export and write included, then a span flush; ` +
      `subjects take turns round by round. The bare method costs ${PLACES.map((p) => `${n(bareNs[p])} us/call ${p}`).join(' and ')} by the same measure (its share of the turns).`,
  ].join('\n');
  return { rows, bareNs, withinTarget: rows.every((r) => r.withinTarget), markdown };
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

type Work = (x: number) => number;
const bound = (target: { work: Work }): Work => (x) => target.work(x);
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
let sink = 0;

/** The measuring side, in the child process. */
async function measure(smoke: boolean): Promise<ChildResult> {
  const exporter = new CountingSpanExporter();
  const log = devNullLineTransport();
  // Production defaults throughout; `global` (the default) is what the decorators read.
  const obs = createObservability({ serviceName: 'decorators-bench', serviceVersion: '1.0.0', environment: 'production', tracing: { exporter }, logging: { transports: [log.transport] } });
  const server = obs.tracer.startSpan('POST /api/orders', { kind: SpanKind.SERVER });
  const traceContext: Context = trace.setSpan(ROOT_CONTEXT, server);
  const request: RequestContext = { requestId: randomUUID(), method: 'POST', path: '/api/orders', route: '/api/orders', startTime: performance.now() };
  const methods: Record<Key, Work> = {
    bare: bound(new Bare()),
    traced: bound(new WithTraced()),
    metered: bound(new WithMetered()),
    logged: bound(new WithLogged()),
    stacked: bound(new WithAll()),
  };
  const keys = PLACES.flatMap((place) => (Object.keys(methods) as Key[]).map((key): Subject => `${place}: ${key}`));
  let spansExpected = 1;

  /** CPU ns per call over `turns` turns of calls, the turns' exports and writes and a final span flush. */
  const sample = async (subject: Subject, turns: number): Promise<number> => {
    const [place, key] = subject.split(': ') as [Place, Key];
    const fn = methods[key];
    const loop = (): void => {
      for (let i = 0; i < CALLS_PER_TURN; i++) sink = (sink + fn(i)) | 0;
    };
    const start = process.cpuUsage();
    for (let t = 0; t < turns; t++) {
      if (place === 'in a request') runWithRequestContext(request, loop, traceContext);
      else loop();
      await nextTurn();
    }
    await obs.tracing.forceFlush();
    await nextTurn();
    const used = process.cpuUsage(start);
    if (key === 'traced' || key === 'stacked') spansExpected += turns * CALLS_PER_TURN;
    return ((used.user + used.system) * 1000) / (turns * CALLS_PER_TURN);
  };

  try {
    // Warm-up (JIT, series, buffers), then size each subject's sample to about the same CPU time.
    const turns = {} as Record<Subject, number>;
    const sampleNs = smoke ? 2e6 : 40e6;
    for (const key of keys) {
      for (let i = 0; i < (smoke ? 1 : 5); i++) await sample(key, 200);
      const perCall = await sample(key, 200);
      turns[key] = Math.max(50, Math.min(5000, Math.round(sampleNs / (perCall * CALLS_PER_TURN))));
    }
    const rounds = smoke ? 2 : 25;
    const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<Subject, number[]>;
    for (let r = 0; r < rounds; r++) {
      // Rotating order, so no subject always follows the same one.
      for (let i = 0; i < keys.length; i++) {
        const key = keys[(i + r) % keys.length]!;
        samples[key].push(await sample(key, turns[key]));
      }
    }
    const stats = obs.tracing.stats();
    server.end();
    await obs.tracing.forceFlush();
    return { samples, spansExported: exporter.exported, spansExpected, spansDropped: stats.droppedQueueFull + stats.droppedExportFailed, logBytes: log.bytes() };
  } finally {
    resetGlobalObservability();
    await obs.shutdown();
    log.close();
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

if (require.main === module) {
  const smoke = process.argv.includes('--smoke');
  const main = process.argv.includes('--child')
    ? measure(smoke).then((result) => console.log(JSON.stringify(result)))
    : runDecoratorsBench({ smoke }).then((result) => {
        console.log(result.markdown);
        for (const r of result.rows) console.log(`${r.withinTarget ? 'met   ' : 'MISSED'} ${r.variant}, ${r.place}: +${(r.overheadNs / 1000).toFixed(2)} us/call (target <= ${(r.targetNs / 1000).toFixed(2)})`);
      });
  main.then(
    () => {
      process.exitCode = sink === 0.5 ? 1 : 0;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
