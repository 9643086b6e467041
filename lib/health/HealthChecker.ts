import type { ErrorReporter } from '../errorReporter';
import type { ResolvedHealthCheck } from './healthOptions';
import type { CheckResult, HealthReport, HealthStatus } from './healthTypes';
import { messageWithCauses } from './messageWithCauses';
import { overallStatus } from './healthStatus';

/**
 * The part of a probe deadline kept for getting the answer out (see `answer`): at most this,
 * and at most a fifth of the deadline. A burst of 200 probes is accepted one connection per
 * event-loop turn and answered one by one: 100 ms left the last answers 850-890 ms after
 * their request on an 800 ms deadline on a loaded machine.
 */
const SEND_ALLOWANCE_MS = 200;

interface CheckState {
  /** Last finished result; reused while fresh and, once expired, answered at once while a refresh runs. */
  last?: CheckResult;
  /** `Date.now()` when `last` finished, for its age. */
  lastAt: number;
  expiresAt: number;
  /** The run in flight, shared by every concurrent caller. */
  inflight?: Promise<CheckResult>;
  /** `Date.now()` when the run in flight started: every probe of that run shares one deadline. */
  startedAt: number;
  /** Cold answers of the run in flight by probe deadline, so coalesced probes answer together. */
  deadlines: Map<number, Promise<CheckResult>>;
  runs: number;
  passedOnce: boolean;
}

/** Called with each finished (not cached) check result. */
export type CheckListener = (result: CheckResult) => void;

/**
 * Runs named checks in parallel with a timeout each, caches every result (failures
 * too) and coalesces concurrent callers onto one in-flight run, so probe load never
 * becomes dependency load.
 */
export class HealthChecker {
  private readonly states = new Map<string, CheckState>();
  private readonly listeners: CheckListener[] = [];

  constructor(
    private readonly checks: readonly ResolvedHealthCheck[],
    private readonly service: { name: string; version: string },
    private readonly errors: ErrorReporter,
  ) {
    for (const c of checks) this.states.set(c.name, { lastAt: 0, expiresAt: 0, startedAt: 0, deadlines: new Map(), runs: 0, passedOnce: false });
  }

  /** Names of the configured checks. */
  get names(): string[] {
    return this.checks.map((c) => c.name);
  }

  /** How many times each check has really run (not served from cache). */
  runCounts(): Record<string, number> {
    return Object.fromEntries([...this.states].map(([k, s]) => [k, s.runs]));
  }

  /** Latest known result of each check, without running anything. */
  lastResults(): CheckResult[] {
    return [...this.states.values()].flatMap((s) => (s.last ? [s.last] : []));
  }

  /** True when every check marked `startup` has passed at least once. */
  startupChecksPassed(): boolean {
    return this.checks.every((c) => !c.startup || this.states.get(c.name)!.passedOnce);
  }

  /** Registers a listener for every finished check run (metrics export health per check through it). */
  onResult(listener: CheckListener): void {
    this.listeners.push(listener);
  }

  /**
   * Builds a report. With `deadlineMs` (the probes), answers by then: an expired result
   * is answered at once, marked stale with its age, while one refresh runs in the
   * background; a check with no result yet is reported as timed out once the deadline
   * of its run has passed, and goes on to fill the cache.
   */
  async report(
    options: { deadlineMs?: number; only?: (c: ResolvedHealthCheck) => boolean } = {},
  ): Promise<HealthReport> {
    const started = performance.now();
    const selected = options.only ? this.checks.filter(options.only) : this.checks;
    const results = await Promise.all(selected.map((c) => this.answer(c, options.deadlineMs)));
    const checks: Record<string, CheckResult> = {};
    for (const r of results) checks[r.name] = r;
    return {
      service: this.service.name,
      version: this.service.version,
      status: overallStatus(results),
      timestamp: new Date().toISOString(),
      responseTimeMs: round(performance.now() - started),
      uptimeSeconds: round(process.uptime()),
      checks,
    };
  }

  /** The result of one check: cached while fresh, else the shared in-flight run. */
  result(check: ResolvedHealthCheck): Promise<CheckResult> {
    const state = this.states.get(check.name)!;
    if (state.last && Date.now() < state.expiresAt) return Promise.resolve(cachedCopy(state, false));
    return this.refresh(check, state);
  }

  private answer(check: ResolvedHealthCheck, deadlineMs: number | undefined): Promise<CheckResult> {
    const state = this.states.get(check.name)!;
    const run = this.result(check);
    if (deadlineMs === undefined || !state.inflight) return run;
    // Stale while revalidate: a probe must not wait on a dependency when an answer is known.
    // A check that needs no I/O has finished by the end of this turn; that one is taken fresh.
    if (state.last) return withinTurn(run, cachedCopy(state, true));
    if (deadlineMs >= check.timeoutMs) return run;
    let answer = state.deadlines.get(deadlineMs);
    if (!answer) {
      // Timed from the start of the run, not from each probe: probes arriving while the
      // server works through a burst would otherwise each wait a full deadline of their own.
      // The caller's clock also counts accepting, routing and sending the answer, so the
      // checks get the deadline less an allowance for that.
      const answerAt = state.startedAt + deadlineMs - Math.min(SEND_ALLOWANCE_MS, deadlineMs / 5);
      answer = firstOf(run, answerAt - Date.now(), () =>
        failed(check, deadlineMs, `no answer within the probe deadline of ${deadlineMs} ms; still running`, true),
      );
      state.deadlines.set(deadlineMs, answer);
    }
    return answer;
  }

  private refresh(check: ResolvedHealthCheck, state: CheckState): Promise<CheckResult> {
    if (state.inflight) return state.inflight;
    state.runs++;
    state.startedAt = Date.now();
    state.inflight = this.execute(check).then((r) => {
      state.last = r;
      state.lastAt = Date.now();
      state.expiresAt = state.lastAt + check.cacheMs;
      state.inflight = undefined;
      state.deadlines.clear();
      if (r.status === 'healthy') state.passedOnce = true;
      for (const l of this.listeners) {
        try {
          l(r);
        } catch (e) {
          this.errors.report('health', e);
        }
      }
      return r;
    });
    return state.inflight;
  }

  private execute(check: ResolvedHealthCheck): Promise<CheckResult> {
    const started = performance.now();
    const controller = new AbortController();
    return new Promise<CheckResult>((resolve) => {
      const timer = setTimeout(() => {
        controller.abort(new Error(`health check "${check.name}" timed out after ${check.timeoutMs} ms`));
        resolve(failed(check, check.timeoutMs, `timed out after ${check.timeoutMs} ms`, true));
      }, check.timeoutMs);
      timer.unref();
      Promise.resolve()
        .then(() => check.check(controller.signal))
        .then(
          (value) => {
            clearTimeout(timer);
            resolve(passed(check, value, performance.now() - started));
          },
          (error: unknown) => {
            clearTimeout(timer);
            resolve(failed(check, performance.now() - started, messageWithCauses(error), false));
          },
        );
    });
  }
}

/** The kept result as a cache hit, with its age; `stale` once it has expired. */
function cachedCopy(state: CheckState, stale: boolean): CheckResult {
  const ageMs = Math.max(0, Date.now() - state.lastAt);
  return { ...state.last!, cached: true, ageMs, ...(stale ? { stale } : {}) };
}

/** `run`'s result if it comes before the event loop turns, else `fallback`. */
function withinTurn(run: Promise<CheckResult>, fallback: CheckResult): Promise<CheckResult> {
  return new Promise((resolve) => {
    const immediate = setImmediate(() => resolve(fallback)).unref();
    void run.then((r) => {
      clearImmediate(immediate);
      resolve(r);
    });
  });
}

/** `run`'s result, or `late()` if it has not come within `ms`. */
function firstOf(run: Promise<CheckResult>, ms: number, late: () => CheckResult): Promise<CheckResult> {
  if (ms <= 0) return Promise.resolve(late());
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(late()), ms);
    timer.unref();
    void run.then((r) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
}

function passed(check: ResolvedHealthCheck, value: unknown, durationMs: number): CheckResult {
  let status: HealthStatus = 'healthy';
  let details: Record<string, unknown> | undefined;
  if (value === false) status = check.critical ? 'unhealthy' : 'degraded';
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { status: s, ...rest } = value as Record<string, unknown>;
    if (s === 'degraded' || s === 'unhealthy' || s === 'healthy')
      status = s === 'unhealthy' && !check.critical ? 'degraded' : s;
    else if (s !== undefined) rest.status = s;
    details = rest;
  }
  return {
    name: check.name,
    status,
    critical: check.critical,
    durationMs: round(durationMs),
    checkedAt: new Date().toISOString(),
    ...(details && Object.keys(details).length ? { details } : {}),
  };
}

function failed(
  check: ResolvedHealthCheck,
  durationMs: number,
  error: string,
  timedOut: boolean,
): CheckResult {
  return {
    name: check.name,
    status: check.critical ? 'unhealthy' : 'degraded',
    critical: check.critical,
    durationMs: round(durationMs),
    checkedAt: new Date().toISOString(),
    error,
    ...(timedOut ? { timedOut } : {}),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
