import type { ErrorReporter } from '../errorReporter';
import type { ResolvedHealthCheck } from './healthOptions';
import type { CheckResult, HealthReport, HealthStatus } from './healthTypes';
import { describeError } from './describeError';
import { overallStatus } from './healthStatus';

interface CheckState {
  /** Last finished result; reused while fresh and, when stale, as "what is known". */
  last?: CheckResult;
  expiresAt: number;
  /** The run in flight, shared by every concurrent caller. */
  inflight?: Promise<CheckResult>;
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
    for (const c of checks) this.states.set(c.name, { expiresAt: 0, runs: 0, passedOnce: false });
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
   * Builds a report. With `deadlineMs`, answers by then: a check still running is
   * reported with its last known result marked stale, or as timed out, and goes on
   * in the background to refresh the cache.
   */
  async report(
    options: { deadlineMs?: number; only?: (c: ResolvedHealthCheck) => boolean } = {},
  ): Promise<HealthReport> {
    const started = performance.now();
    const selected = options.only ? this.checks.filter(options.only) : this.checks;
    const results = await Promise.all(
      selected.map((c) => this.withDeadline(c, this.result(c), options.deadlineMs)),
    );
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
    if (state.last && Date.now() < state.expiresAt) return Promise.resolve({ ...state.last, cached: true });
    if (!state.inflight) {
      state.runs++;
      state.inflight = this.execute(check).then((r) => {
        state.last = r;
        state.expiresAt = Date.now() + check.cacheMs;
        state.inflight = undefined;
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
    }
    return state.inflight;
  }

  private withDeadline(
    check: ResolvedHealthCheck,
    run: Promise<CheckResult>,
    deadlineMs?: number,
  ): Promise<CheckResult> {
    if (deadlineMs === undefined || deadlineMs >= check.timeoutMs) return run;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const last = this.states.get(check.name)!.last;
        resolve(
          last
            ? { ...last, cached: true, stale: true }
            : failed(
                check,
                deadlineMs,
                `no answer within the probe deadline of ${deadlineMs} ms; still running`,
                true,
              ),
        );
      }, deadlineMs);
      timer.unref();
      void run.then((r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
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
            resolve(failed(check, performance.now() - started, describeError(error), false));
          },
        );
    });
  }
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
