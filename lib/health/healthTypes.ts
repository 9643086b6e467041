/** Overall or per-check status, in the words of the seed. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/**
 * A health check: resolve (optionally with details) for healthy, throw for failed.
 * Resolving with `{ status: 'degraded', ... }` reports degraded with details.
 * The signal aborts when the check's timeout passes.
 */
export type HealthCheckFn = (signal: AbortSignal) => Promise<unknown> | unknown;

/** A check with its policy. */
export interface HealthCheckDefinition {
  /** The check itself. */
  readonly check: HealthCheckFn;
  /** A failure makes the service unhealthy (true) or only degraded (false). Default: true. */
  readonly critical?: boolean;
  /** A check that has not answered by then fails with a timeout error. Default: `health.timeoutMs`. */
  readonly timeoutMs?: number;
  /** How long a result (pass or fail) is reused. Default: `health.cacheMs`. */
  readonly cacheMs?: number;
  /** The check must pass once before `/health/startup` answers 200. Default: false. */
  readonly startup?: boolean;
}

/** What a user may pass for one check. */
export type HealthCheckInput = HealthCheckFn | HealthCheckDefinition;

/** The result of one check. */
export interface CheckResult {
  readonly name: string;
  readonly status: HealthStatus;
  readonly critical: boolean;
  /** Milliseconds the check took (or the deadline when it timed out). */
  readonly durationMs: number;
  /** ISO time the check finished. */
  readonly checkedAt: string;
  readonly details?: Record<string, unknown>;
  /** Message of the failure; shown only where details are shown. */
  readonly error?: string;
  /** True when the check did not answer within its timeout or the probe deadline. */
  readonly timedOut?: boolean;
  /** True when served from cache. */
  readonly cached?: boolean;
  /** Milliseconds since this result was produced (on cached results). */
  readonly ageMs?: number;
  /** True when the cache has expired: this is the previous result, answered while a refresh runs. */
  readonly stale?: boolean;
}

/** The seed's HealthCheckResult, made precise. */
export interface HealthReport {
  readonly service: string;
  readonly version: string;
  readonly status: HealthStatus;
  readonly timestamp: string;
  /** Milliseconds the report took to build. */
  readonly responseTimeMs: number;
  /** Seconds the process has been up. */
  readonly uptimeSeconds: number;
  readonly checks: Record<string, CheckResult>;
}
