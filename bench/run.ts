/**
 * `npm run bench`: request overhead against bare Express and the peer stack, decorators,
 * scrape, health and access log; writes bench/RESULTS.md. `npm run bench:smoke` runs
 * every part for a few seconds, writes nothing and fails only if a part is broken.
 * `npm run bench -- --profile [variant]` prints where one variant's CPU time goes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decoratorTarget } from './decoratorTarget';
import { runExternal } from './external';
import { runHealthBench } from './health.bench';
import { describeMachine } from './machine';
import { runProfile } from './profile';
import { runPropertyAddBench } from './propertyAdd.bench';
import { evaluateTargets, renderProfile, renderResults, type BenchResults } from './report';
import { runRequestOverhead, type LoadPlan } from './requestOverhead';
import { runScrapeBench } from './scrape.bench';
import { VARIANTS, type Variant } from './variants';

const smoke = process.argv.includes('--smoke');
const num = (name: string, fallback: number): number => (process.env[name] ? Number(process.env[name]) : fallback);

const plan: LoadPlan = smoke
  ? { rounds: 1, connections: 4, durationSec: 1, amount: 200, warmupAmount: 50, primeAmount: 20 }
  : {
      rounds: num('BENCH_ROUNDS', 10),
      connections: num('BENCH_CONNECTIONS', 10),
      durationSec: num('BENCH_DURATION_SEC', 2),
      primeSec: num('BENCH_PRIME_SEC', 1),
      warmupAmount: 3000,
      warmupSec: num('BENCH_WARMUP_SEC', 15),
    };

async function main(): Promise<void> {
  const machine = describeMachine();
  const log = (line: string): void => console.log(line);
  log(`${smoke ? 'Smoke run' : 'Benchmark'} on ${machine}`);

  log('request overhead...');
  const overhead = await runRequestOverhead(plan, log);
  const profile = smoke ? undefined : (log('profiling the full stack...'), await runProfile('full', { ...plan, durationSec: 8 }));
  log('decorators...');
  const decorators = await runExternal('decorators.bench.ts', ['runDecoratorsBench', 'runDecoratorBench', 'benchDecorators'], smoke);
  log('scrape...');
  const scrape = await runScrapeBench(smoke ? { targetSeries: 1000, iterations: 3 } : { targetSeries: 10_000, iterations: 60 });
  log('health...');
  const health = await runHealthBench(smoke ? { probes: 20, checkMs: 50 } : { probes: 200, checkMs: 300 });
  log('property additions...');
  const propertyAdd = runPropertyAddBench({ smoke });
  log('access log...');
  const accessLog = await runExternal('accessLog.bench.ts', ['runAccessLogBench', 'benchAccessLog'], smoke);

  const results: BenchResults = { machine, smoke, overhead, decorators, scrape, health, accessLog, profile, propertyAdd };
  const targets = evaluateTargets(results, decoratorTarget(decorators));
  const markdown = renderResults(results, targets);
  if (smoke) {
    log(markdown);
  } else {
    writeFileSync(join(__dirname, 'RESULTS.md'), markdown);
    log(markdown);
    log('written to bench/RESULTS.md');
  }
  // A smoke run is too short for its figures to mean anything: it only proves the bench runs.
  if (!smoke) for (const t of targets) log(`${t.outcome.padEnd(4)} ${t.target}: ${t.measured}`);

  const broken = [
    ...overhead.summaries.filter((s) => s.failures > 0).map((s) => `${s.variant}: ${s.failures} failed requests`),
    ...[decorators, accessLog].filter((x) => x.error).map((x) => `bench/${x.file} failed`),
    ...health.waves.filter((w) => w.statuses[200] !== w.probes).map((w) => `health ${w.label}: not every probe answered 200`),
  ];
  if (broken.length > 0) {
    console.error(`benchmark broken:\n  ${broken.join('\n  ')}`);
    process.exitCode = 1;
  }
}

/** `npm run bench -- --profile [variant]`: only the profile breakdown, printed. */
async function profileOnly(): Promise<void> {
  const variant = (process.argv[process.argv.indexOf('--profile') + 1] ?? 'full') as Variant;
  const result = await runProfile(VARIANTS.includes(variant) ? variant : 'full', { ...plan, durationSec: num('BENCH_DURATION_SEC', 10) });
  console.log(renderProfile(result).join('\n'));
}

(process.argv.includes('--profile') ? profileOnly() : main()).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
