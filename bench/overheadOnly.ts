/** `npx ts-node --transpile-only bench/overheadOnly.ts`: only the request-overhead part of `npm run bench`, printed. */
import { runRequestOverhead } from './requestOverhead';

runRequestOverhead({ rounds: Number(process.env.BENCH_ROUNDS ?? 10), connections: 10, durationSec: Number(process.env.BENCH_DURATION_SEC ?? 2), primeSec: Number(process.env.BENCH_PRIME_SEC ?? 1), warmupAmount: 3000, warmupSec: Number(process.env.BENCH_WARMUP_SEC ?? 15) }, (l) => console.log(l))
  .then((r) => {
    for (const s of r.summaries) console.log(JSON.stringify(s));
  })
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
