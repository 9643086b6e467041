import { assertOption } from '../../configError';
import { knownKeys } from '../knownKeys';
import type { HealthCheckDefinition, HealthCheckFn } from '../healthTypes';

/** Policy fields every built-in check accepts; each default is stated by the check. */
export interface CheckPolicyOptions {
  /** A failure makes the service unhealthy (true) or only degraded (false). */
  readonly critical?: boolean;
  /** The check fails with a timeout error after this many ms. Default: `health.timeoutMs`. */
  readonly timeoutMs?: number;
  /** How long a result (pass or fail) is reused. Default: `health.cacheMs`. */
  readonly cacheMs?: number;
  /** Must pass once before `/health/startup` answers 200. Default: false. */
  readonly startup?: boolean;
}

const POLICY_KEYS = ['critical', 'timeoutMs', 'cacheMs', 'startup'] as const;

/**
 * Validates a built-in's options object at construction: an object (or nothing) with
 * known keys only, so a typo such as `timeout` fails loudly instead of being ignored.
 */
export function checkOptions<T extends object>(
  option: string,
  value: T | undefined,
  keys: readonly string[],
): Partial<T> {
  return value === undefined ? {} : knownKeys(option, value, [...keys, ...POLICY_KEYS]);
}

/** Builds the definition of a built-in check, validating the policy fields it was given. */
export function withPolicy(
  option: string,
  check: HealthCheckFn,
  options: CheckPolicyOptions,
  defaultCritical: boolean,
): HealthCheckDefinition {
  return {
    check,
    critical:
      options.critical === undefined
        ? defaultCritical
        : assertOption.boolean(`${option}.critical`, options.critical),
    ...(options.timeoutMs === undefined
      ? {}
      : { timeoutMs: assertOption.positiveNumber(`${option}.timeoutMs`, options.timeoutMs) }),
    ...(options.cacheMs === undefined
      ? {}
      : { cacheMs: assertOption.nonNegativeNumber(`${option}.cacheMs`, options.cacheMs) }),
    ...(options.startup === undefined
      ? {}
      : { startup: assertOption.boolean(`${option}.startup`, options.startup) }),
  };
}

/** Status of a resource check over its threshold: degraded, or unhealthy when declared critical. */
export function overThreshold(critical: boolean | undefined): 'degraded' | 'unhealthy' {
  return critical ? 'unhealthy' : 'degraded';
}

/** Milliseconds since `start` (a `performance.now()` reading), rounded to 0.01. */
export function elapsedMs(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

/** A ratio rounded to 4 decimals, for details that stay readable. */
export function roundRatio(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
