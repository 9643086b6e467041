import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Counter, Histogram } from 'prom-client';
import type { Observability } from '../index';
import { devNullTransport } from './nullOutputs';
import { spread, type Spread } from './stats';

/** Render times of one registry through the library and through prom-client directly. */
export interface ScrapeResult {
  /** Sample lines (series) in one rendered scrape. */
  readonly series: number;
  readonly bytes: number;
  readonly iterations: number;
  readonly libraryMs: Spread;
  readonly promClientMs: Spread;
  /** Library render time / prom-client render time, per interleaved pair. */
  readonly ratio: Spread;
}

/**
 * Fills one instance's registry with about `targetSeries` series (a labelled counter
 * and a labelled histogram, as a busy service has), then renders it alternately
 * through the library's render path and prom-client's `registry.metrics()`.
 */
export async function runScrapeBench(opts: { targetSeries: number; iterations: number }): Promise<ScrapeResult> {
  const { createObservability } = require('../index') as typeof import('../index');
  const obs: Observability = createObservability({
    serviceName: 'bench',
    global: false,
    tracing: false,
    logging: { transports: [devNullTransport().transport] },
  });
  try {
    const registry = obs.metrics!.registry;
    fill(registry, opts.targetSeries);
    const first = await obs.metrics!.render(undefined);
    const lib: number[] = [];
    const prom: number[] = [];
    const warmup = Math.max(2, Math.round(opts.iterations / 5));
    const gc = exposeGc();
    for (let i = 0; i < warmup + opts.iterations; i++) {
      // Alternate which goes first, and start each render on a collected heap, so the
      // garbage of one render is not paid for by the next.
      gc();
      const a = i % 2 === 0 ? await timeLibrary(obs) : await timePromClient(registry);
      gc();
      const b = i % 2 === 0 ? await timePromClient(registry) : await timeLibrary(obs);
      if (i < warmup) continue;
      lib.push(i % 2 === 0 ? a : b);
      prom.push(i % 2 === 0 ? b : a);
    }
    return {
      series: first.body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length,
      bytes: Buffer.byteLength(first.body),
      iterations: opts.iterations,
      libraryMs: spread(lib),
      promClientMs: spread(prom),
      ratio: spread(lib.map((l, i) => l / prom[i])),
    };
  } finally {
    await obs.shutdown();
  }
}

function fill(registry: import('prom-client').Registry, targetSeries: number): void {
  // Half the series in a counter, half in a histogram (14 lines per label set).
  const counter = new Counter({ name: 'bench_orders_total', help: 'Orders.', labelNames: ['shop', 'product'], registers: [registry] });
  const histogram = new Histogram({
    name: 'bench_upstream_duration_seconds',
    help: 'Upstream call duration.',
    labelNames: ['upstream', 'operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const counterSeries = Math.round(targetSeries / 2);
  for (let i = 0; i < counterSeries; i++) counter.inc({ shop: `shop-${i % 50}`, product: `product-${i}` }, i);
  const histogramSets = Math.round(targetSeries / 2 / 14);
  for (let i = 0; i < histogramSets; i++) histogram.observe({ upstream: `svc-${i % 20}`, operation: `op-${i}` }, (i % 100) / 100);
}

// CPU time of this process, not wall time: a render never waits on I/O, and on a shared
// machine wall time mostly measures who else got the core.
async function timeLibrary(obs: Observability): Promise<number> {
  const t = process.cpuUsage();
  await obs.metrics!.render(undefined);
  return cpuMs(t);
}

async function timePromClient(registry: import('prom-client').Registry): Promise<number> {
  const t = process.cpuUsage();
  await registry.metrics();
  return cpuMs(t);
}

/** `global.gc` without restarting node with `--expose-gc`. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}
