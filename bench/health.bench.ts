import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { devNullTransport } from './nullOutputs';
import { quantile } from './stats';

/** One wave of concurrent readiness probes. */
export interface ProbeWave {
  readonly label: string;
  readonly probes: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Status code → count. */
  readonly statuses: Record<number, number>;
  /** Times the slow check ran during this wave. */
  readonly checkRuns: number;
}

/** Health bench result: a cold wave (nothing cached) and a warm one right after. */
export interface HealthResult {
  readonly checkMs: number;
  readonly waves: ProbeWave[];
}

/**
 * `probes` concurrent `GET /health/ready` against an app whose one dependency check
 * takes `checkMs`: how long probes wait and how often the dependency is hit.
 */
export async function runHealthBench(opts: { probes: number; checkMs: number }): Promise<HealthResult> {
  const express = require('express') as () => Express;
  const { createObservability } = require('../index') as typeof import('../index');
  let runs = 0;
  const obs = createObservability({
    serviceName: 'bench',
    global: false,
    tracing: false,
    logging: { transports: [devNullTransport().transport] },
    health: {
      checks: {
        slowDependency: async () => {
          runs++;
          await new Promise((resolve) => setTimeout(resolve, opts.checkMs));
        },
      },
    },
  });
  const app = express();
  app.use(obs.middleware());
  app.use(obs.routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/ready`;
  try {
    const waves: ProbeWave[] = [];
    for (const label of ['cold (nothing cached)', 'warm (right after)']) {
      const before = runs;
      const results = await Promise.all(Array.from({ length: opts.probes }, () => probe(url)));
      const ms = results.map((r) => r.ms);
      const statuses: Record<number, number> = {};
      for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      waves.push({
        label,
        probes: opts.probes,
        p50Ms: quantile(ms, 0.5),
        p90Ms: quantile(ms, 0.9),
        p99Ms: quantile(ms, 0.99),
        maxMs: Math.max(...ms),
        statuses,
        checkRuns: runs - before,
      });
    }
    return { checkMs: opts.checkMs, waves };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await obs.shutdown();
  }
}

async function probe(url: string): Promise<{ ms: number; status: number }> {
  const t = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  return { ms: performance.now() - t, status: res.status };
}
