import { Agent, request } from 'node:http';
import { ServerProcess } from './serverProcess';
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
  /** Server CPU time per probe, from the server process's own accounting. */
  readonly serverCpuMicrosPerProbe: number;
}

/** Health bench result: a cold wave (nothing cached) and a warm one right after. */
export interface HealthResult {
  readonly checkMs: number;
  readonly waves: ProbeWave[];
}

/**
 * `probes` concurrent `GET /health/ready` against a server (its own process) whose one
 * dependency check takes `checkMs`: how long probes wait and how often the dependency is hit.
 * Every probe has its own connection, opened before the wave, so the wave measures the
 * server and not connection set-up.
 */
export async function runHealthBench(opts: { probes: number; checkMs: number }): Promise<HealthResult> {
  const server = await ServerProcess.start('health', [String(opts.checkMs)]);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  try {
    // Opens the connections on a route that runs no check.
    await Promise.all(Array.from({ length: opts.probes }, () => probe(agent, server.url + '/health/live')));
    const waves: ProbeWave[] = [];
    for (const label of ['cold (nothing cached)', 'warm (right after)']) {
      const before = await server.sample();
      const results = await Promise.all(Array.from({ length: opts.probes }, () => probe(agent, server.url + '/health/ready')));
      const after = await server.sample();
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
        checkRuns: after.checkRuns - before.checkRuns,
        serverCpuMicrosPerProbe: (after.cpuMicros - before.cpuMicros) / opts.probes,
      });
    }
    return { checkMs: opts.checkMs, waves };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

function probe(agent: Agent, url: string): Promise<{ ms: number; status: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t, status: res.statusCode ?? 0 }));
    })
      .on('error', reject)
      .end();
  });
}
