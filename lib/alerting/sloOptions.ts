import { ObservabilityConfigError } from '../configError';
import { DEFAULT_DURATION_BUCKETS } from '../metrics/metricsOptions';
import { burnRateWindows, shortestPeriodMs, type BurnWindow } from './burnRateWindows';
import { formatPromDuration, parsePromDuration } from './promDuration';
import { promNumber } from './promql';

/** A latency objective: the share of requests answered faster than `thresholdSeconds`. */
export interface LatencyObjective {
  /** Share of requests that must be faster than the threshold, in (0, 1), such as 0.99. */
  readonly objective: number;
  /** The threshold in seconds; must be one of the duration histogram's buckets (its `le`). */
  readonly thresholdSeconds: number;
}

/** A service's objectives, resolved. */
export interface ResolvedObjectives {
  /** Share of requests that must not answer 5xx, when set. */
  readonly availability?: number;
  /** The latency objective, when set. */
  readonly latency?: LatencyObjective;
}

/** The period and burn conditions shared by every objective. */
export interface ResolvedSloPeriod {
  /** The period the budget is counted over, a Prometheus duration. */
  readonly period: string;
  readonly periodMs: number;
  /** The four burn conditions, windows and factors scaled to the period. */
  readonly burnWindows: readonly BurnWindow[];
  /** Bucket bounds of the duration histogram, in seconds. */
  readonly durationBuckets: readonly number[];
}

/** Resolves `period`, `minWindow` and `durationBuckets`; throws naming the bad option. */
export function resolveSloPeriod(
  period: unknown,
  minWindow: unknown,
  durationBuckets: unknown,
  preset: 'classic' | 'otel',
): ResolvedSloPeriod {
  const periodMs = durationMs('alerting.period', period ?? '30d');
  const minWindowMs = durationMs('alerting.minWindow', minWindow ?? '1m');
  if (minWindowMs <= 0) {
    throw new ObservabilityConfigError('alerting.minWindow', minWindow, 'a duration above 0, such as "1m"');
  }
  const shortest = Math.ceil(shortestPeriodMs(minWindowMs));
  if (periodMs < shortest) {
    throw new ObservabilityConfigError(
      'alerting.period',
      period,
      `at least ${formatPromDuration(shortest)} (50 x minWindow ${formatPromDuration(minWindowMs)}), or a shorter minWindow: with shorter periods a page would fire within the objective`,
    );
  }
  const buckets = durationBuckets ?? DEFAULT_DURATION_BUCKETS[preset];
  if (
    !Array.isArray(buckets) ||
    buckets.length === 0 ||
    !buckets.every(
      (b, i) => typeof b === 'number' && b > 0 && Number.isFinite(b) && (i === 0 || b > buckets[i - 1]),
    )
  ) {
    throw new ObservabilityConfigError(
      'alerting.durationBuckets',
      buckets,
      'the same increasing bucket bounds as metrics.durationBuckets',
    );
  }
  return {
    period: formatPromDuration(periodMs),
    periodMs,
    burnWindows: burnRateWindows(periodMs, minWindowMs),
    durationBuckets: buckets as number[],
  };
}

/** Resolves one service's `availability` and `latency`; throws naming the bad option. */
export function resolveObjectives(
  at: string,
  input: { availability?: unknown; latency?: unknown },
  buckets: readonly number[],
): ResolvedObjectives {
  const out: { availability?: number; latency?: LatencyObjective } = {};
  if (input.availability !== undefined)
    out.availability = objective(`${at}.availability`, input.availability);
  if (input.latency !== undefined) {
    const l = input.latency as Partial<LatencyObjective> | null;
    if (typeof l !== 'object' || l === null) {
      throw new ObservabilityConfigError(`${at}.latency`, l, '{ objective: 0.99, thresholdSeconds: 0.5 }');
    }
    const threshold = l.thresholdSeconds;
    if (typeof threshold !== 'number' || !buckets.includes(threshold)) {
      throw new ObservabilityConfigError(
        `${at}.latency.thresholdSeconds`,
        threshold,
        `one of the duration histogram's buckets (${buckets.map(promNumber).join(', ')}); ` +
          'add the threshold to metrics.durationBuckets and pass the same list as alerting.durationBuckets',
      );
    }
    out.latency = {
      objective: objective(`${at}.latency.objective`, l.objective),
      thresholdSeconds: threshold,
    };
  }
  return out;
}

function objective(option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new ObservabilityConfigError(option, value, 'a share between 0 and 1 (exclusive), such as 0.999');
  }
  return value;
}

function durationMs(option: string, value: unknown): number {
  const ms = typeof value === 'string' ? parsePromDuration(value) : undefined;
  if (ms === undefined) {
    throw new ObservabilityConfigError(option, value, 'a Prometheus duration such as "30d", "7d" or "1h"');
  }
  return ms;
}
