/**
 * `npm run demo:traffic [-- --sessions 100 --duration 60 --concurrency 4 --fast]`:
 * sends bounded, realistic traffic (spread over the duration unless --fast) to a running demo (same PORT_BASE) and prints what it sent.
 */
import { parseArgs } from 'node:util';
import { portBase } from './shared/serviceNames';
import { runTraffic } from './traffic/runTraffic';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '100' },
      duration: { type: 'string', default: '60' },
      concurrency: { type: 'string', default: '4' },
      fast: { type: 'boolean', default: false },
    },
  });
  const base = portBase();
  const sessions = Number(values.sessions);
  const durationMs = Number(values.duration) * 1000;
  const concurrency = Number(values.concurrency);
  if (![sessions, durationMs, concurrency].every((n) => Number.isFinite(n) && n > 0)) {
    throw new Error('--sessions, --duration (seconds) and --concurrency must be positive numbers');
  }
  process.stdout.write(
    `sending up to ${sessions} sessions for at most ${durationMs / 1000}s to PORT_BASE ${base}...\n`,
  );
  const started = Date.now();
  const api = await runTraffic({ portBase: base, sessions, durationMs, concurrency, paced: !values.fast });
  const rows = [...api.tally()].sort(([a], [b]) => a.localeCompare(b));
  process.stdout.write(`\n${api.sent.length} requests in ${((Date.now() - started) / 1000).toFixed(1)}s:\n`);
  for (const [key, count] of rows) process.stdout.write(`  ${String(count).padStart(5)}  ${key}\n`);
  if (api.sent.some((r) => r.status === 0))
    process.stdout.write('\n(status 0: no answer; is the demo running with this PORT_BASE?)\n');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
