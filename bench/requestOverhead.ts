import autocannon from 'autocannon';
import { pinning, pinToCpu } from './pinCpu';
import { ServerProcess, type ServerSample } from './serverProcess';
import { spread, type Spread } from './stats';
import { VARIANTS, type Variant } from './variants';

/** How hard and how long to load each server. */
export interface LoadPlan {
  readonly rounds: number;
  readonly connections: number;
  /** Seconds per measured window; or `amount` requests when set. */
  readonly durationSec: number;
  readonly amount?: number;
  /** Requests sent to each server once before the first round (JIT, caches), when `warmupSec` is not set. */
  readonly warmupAmount: number;
  /**
   * Seconds of load on each server before the first round. The full stack's CPU per request
   * kept falling for about 12 s of load after 5,000 warm-up requests (from about 200 to about
   * 160 us here; V8 optimizing more of the path, its young generation growing), and bare
   * Express settles sooner: a short warm-up charged the first rounds to the larger stacks.
   */
  readonly warmupSec?: number;
  /**
   * Requests sent, unmeasured, right before every measured window, when `primeSec` is not
   * set. Default 500.
   */
  readonly primeAmount?: number;
  /**
   * Seconds of unmeasured load right before every measured window. A server that sat idle
   * while the others were loaded needs a few thousand requests before its CPU per request
   * is back to its steady level (measured: 2x for the first 1,000 after 15 s idle, back
   * within about 4,000), while the bare Express server, loaded every other window, never
   * goes cold; priming by time gives every window the same start.
   */
  readonly primeSec?: number;
}

/**
 * Node flags of every measured server. V8's memory reducer shrinks the heap of a process
 * that stops allocating, so a server idle between its windows started them with many
 * extra collections; a server under steady traffic never triggers it, so it is off for all.
 */
export const SERVER_NODE_ARGS = ['--no-memory-reducer'] as const;

/** One load window on one server. */
interface Window {
  readonly requests: number;
  readonly cpuMicrosPerRequest: number;
  readonly requestsPerSecond: number;
  readonly failures: number;
}

/** One variant in one round. */
export interface RoundMeasurement extends Window {
  readonly variant: Variant;
  /** CPU per request over the mean of the bare Express windows just before and just after. */
  readonly cpuRatio: number;
  /** Requests per second over the same bare Express windows'. */
  readonly throughputRatio: number;
}

/** A variant over all rounds, absolute and as ratios to bare Express in the same round. */
export interface VariantSummary {
  readonly variant: Variant;
  readonly cpuMicrosPerRequest: Spread;
  readonly requestsPerSecond: Spread;
  readonly cpuRatio: Spread;
  readonly throughputRatio: Spread;
  /** Spans exported and access-log bytes written per request over the whole run (proof of work). */
  readonly spansPerRequest: number;
  readonly logBytesPerRequest: number;
  readonly failures: number;
}

/** Everything the request-overhead bench measured. */
export interface OverheadResult {
  readonly plan: LoadPlan;
  readonly rounds: RoundMeasurement[][];
  readonly summaries: VariantSummary[];
}

const PATH = '/api/users/42';

/**
 * Starts every variant in its own process and warms each up. Then, round after round,
 * loads the variants one after another in a rotating order with a bare Express window
 * before the first and after each one, so every variant is compared with bare Express
 * measured right next to it: drift on a shared machine (other work starting or stopping)
 * hits both sides of each ratio alike. CPU time comes from each server's own
 * `process.cpuUsage()`.
 */
export async function runRequestOverhead(plan: LoadPlan, log: (line: string) => void): Promise<OverheadResult> {
  const servers = await Promise.all(VARIANTS.map((v) => ServerProcess.start(v, [], SERVER_NODE_ARGS)));
  const pin = pinning();
  if (pin) pinToCpu(process.pid, pin.load);
  try {
    await checkResponses(servers);
    const first = await Promise.all(servers.map((s) => s.sample()));
    for (const s of servers) await warmUp(s.url, plan);
    const bare = servers[VARIANTS.indexOf('bare')];
    const others = servers.filter((s) => s !== bare);
    const rounds: RoundMeasurement[][] = [];
    for (let r = 0; r < plan.rounds; r++) {
      const round: RoundMeasurement[] = [];
      const bareWindows = [await measure(bare, plan)];
      for (let i = 0; i < others.length; i++) {
        const server = others[(i + r) % others.length];
        const window = await measure(server, plan);
        const before = bareWindows[bareWindows.length - 1];
        const after = await measure(bare, plan);
        bareWindows.push(after);
        round.push({
          variant: server.variant as Variant,
          ...window,
          cpuRatio: window.cpuMicrosPerRequest / ((before.cpuMicrosPerRequest + after.cpuMicrosPerRequest) / 2),
          throughputRatio: window.requestsPerSecond / ((before.requestsPerSecond + after.requestsPerSecond) / 2),
        });
      }
      round.push({ variant: 'bare', ...combine(bareWindows), cpuRatio: 1, throughputRatio: 1 });
      round.sort((a, b) => VARIANTS.indexOf(a.variant) - VARIANTS.indexOf(b.variant));
      rounds.push(round);
      log(`  round ${r + 1}/${plan.rounds}: ${round.map((m) => `${m.variant} ${m.cpuMicrosPerRequest.toFixed(1)} us (${m.cpuRatio.toFixed(2)}x)`).join(', ')}`);
    }
    const last = await Promise.all(servers.map((s) => s.sample()));
    return { plan, rounds, summaries: VARIANTS.map((v, i) => summarize(v, rounds, first[i], last[i])) };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** Bare Express's windows of one round as one: requests and CPU summed, rates averaged. */
function combine(windows: readonly Window[]): Window {
  const requests = windows.reduce((n, w) => n + w.requests, 0);
  return {
    requests,
    cpuMicrosPerRequest: windows.reduce((n, w) => n + w.cpuMicrosPerRequest * w.requests, 0) / requests,
    requestsPerSecond: windows.reduce((n, w) => n + w.requestsPerSecond, 0) / windows.length,
    failures: windows.reduce((n, w) => n + w.failures, 0),
  };
}

/** Every variant must answer the route with the same body before it is measured. */
async function checkResponses(servers: readonly ServerProcess[]): Promise<void> {
  const bodies = await Promise.all(servers.map(async (s) => (await fetch(s.url + PATH)).text()));
  for (let i = 1; i < bodies.length; i++) {
    if (bodies[i] !== bodies[0]) throw new Error(`variant ${servers[i].variant} answered ${bodies[i]}, bare Express ${bodies[0]}`);
  }
}

async function measure(server: ServerProcess, plan: LoadPlan): Promise<Window> {
  await unmeasured(server.url, plan.connections, plan.primeSec, plan.primeAmount ?? 500);
  const before = await server.sample();
  const started = process.hrtime.bigint();
  const result = await load(server.url, plan);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = await server.sample();
  // Samples travel over IPC, so every request counted in the window came from autocannon.
  const requests = Math.max(1, after.served - before.served);
  return {
    requests,
    cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / requests,
    requestsPerSecond: requests / seconds,
    failures: result.errors + result.non2xx,
  };
}

/** The warm-up of one server before the rounds: `warmupSec` of load, else `warmupAmount` requests. */
export function warmUp(url: string, plan: LoadPlan): Promise<void> {
  return unmeasured(url, plan.connections, plan.warmupSec, plan.warmupAmount);
}

/** Load whose figures are not kept: `seconds` of it when set, else `amount` requests. */
async function unmeasured(url: string, connections: number, seconds: number | undefined, amount: number): Promise<void> {
  if (seconds !== undefined && seconds > 0) await load(url, { connections, durationSec: seconds });
  else if (amount > 0) await load(url, { connections, durationSec: 0, amount });
}

/** Loads `url` from this process (never from the server's) with autocannon. */
export function load(url: string, plan: Pick<LoadPlan, 'connections' | 'durationSec' | 'amount'>): Promise<autocannon.Result> {
  return autocannon({
    url: url + PATH,
    connections: plan.connections,
    pipelining: 1,
    ...(plan.amount ? { amount: plan.amount } : { duration: plan.durationSec }),
  });
}

function summarize(variant: Variant, rounds: RoundMeasurement[][], first: ServerSample, last: ServerSample): VariantSummary {
  const mine = rounds.map((round) => round.find((m) => m.variant === variant)!);
  const served = Math.max(1, last.served - first.served);
  return {
    variant,
    cpuMicrosPerRequest: spread(mine.map((m) => m.cpuMicrosPerRequest)),
    requestsPerSecond: spread(mine.map((m) => m.requestsPerSecond)),
    cpuRatio: spread(mine.map((m) => m.cpuRatio)),
    throughputRatio: spread(mine.map((m) => m.throughputRatio)),
    spansPerRequest: (last.spans - first.spans) / served,
    logBytesPerRequest: (last.logBytes - first.logBytes) / served,
    failures: mine.reduce((n, m) => n + m.failures, 0),
  };
}
