import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { samples, value } from '../fixtures/metricsScrape';

describe('cluster aggregation', () => {
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  });

  it('one scrape of the primary returns the sum of two forked workers', async () => {
    child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), join(__dirname, '../fixtures/metricsCluster.ts')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    });
    let output = '';
    const ready = await new Promise<{ appPort: number; metricsPort: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`cluster app not ready within 60 s:\n${output}`)), 60_000);
      child!.stderr!.on('data', (d) => (output += d));
      child!.stdout!.on('data', (d) => {
        output += d;
        const line = /READY (\{.*\})/.exec(output);
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line[1]!));
        }
      });
      child!.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`cluster app exited with ${code}:\n${output}`));
      });
    });

    // Round-robin spreads connections over both workers; keep going until both have served.
    const pids = new Map<number, number>();
    let sent = 0;
    while ((pids.size < 2 || sent < 40) && sent < 2000) {
      const r = await fetch(`http://127.0.0.1:${ready.appPort}/work/${sent}`, { headers: { connection: 'close' } });
      const { pid } = (await r.json()) as { pid: number };
      pids.set(pid, (pids.get(pid) ?? 0) + 1);
      sent++;
    }
    expect(pids.size).toBe(2);
    expect(Math.max(...pids.values())).toBeLessThan(sent);

    const scrape = await fetch(`http://127.0.0.1:${ready.metricsPort}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(samples(text, 'http_requests_total')).toHaveLength(1);
    expect(value(text, 'http_requests_total', { route: '/work/:id', status_code: '200', service: 'cluster-test' })).toBe(sent);
    expect(value(text, 'http_request_duration_seconds_count', { route: '/work/:id' })).toBe(sent);
  }, 90_000);
});
