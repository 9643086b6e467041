import { assertOption, ObservabilityConfigError } from '../configError';
import type { MetricsPreset } from '../metrics/metricsOptions';
import {
  resolveObjectives,
  resolveSloPeriod,
  type LatencyObjective,
  type ResolvedObjectives,
  type ResolvedSloPeriod,
} from './sloOptions';

/** The alerts the generator writes for every service. */
export const ALERT_KINDS = [
  'errorRatio',
  'latencyP95',
  'latencyP99',
  'instanceDown',
  'healthCheck',
  'memory',
  'sloAbsent',
] as const;
/** One of {@link ALERT_KINDS}. */
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Objectives of one service. Every field but `service` is optional. */
export interface ServiceSloOptions {
  /** Value of the `service` label the library puts on every series (its `serviceName`). */
  readonly service: string;
  /**
   * Availability objective: the share of requests that must not answer 5xx over the
   * period, in (0, 1), such as 0.999. Replaces the `HighErrorRatio` threshold alert with
   * error-budget burn alerts. Default: none.
   */
  readonly availability?: number;
  /**
   * Latency objective: the share of requests faster than `thresholdSeconds`, which must be
   * one of the duration histogram's buckets. Replaces the `HighLatencyP95`/`P99` threshold
   * alerts with error-budget burn alerts. Default: none.
   */
  readonly latency?: LatencyObjective;
  /** Prometheus scrape job of the service, used by the instance-down alert. Default: the service name. */
  readonly job?: string;
  /** Highest tolerated share of 5xx responses. Default: 0.05 (5 %). */
  readonly errorRatio?: number;
  /** Below this many requests per second the error ratio is not judged. Default: 0 (always judged). */
  readonly minRequestRate?: number;
  /** Highest tolerated 95th percentile of request duration, in seconds. Default: 0.5. */
  readonly latencyP95Seconds?: number;
  /** Highest tolerated 99th percentile of request duration, in seconds. Default: 1. */
  readonly latencyP99Seconds?: number;
  /** Highest tolerated resident memory, in bytes. Default: 512 MiB. */
  readonly memoryBytes?: number;
  /** Window of the rates and quantiles, a Prometheus duration. Default: the top-level `window`. */
  readonly window?: string;
  /** How long a condition must hold before the alert fires, per alert. Default: the top-level `for`. */
  readonly for?: Readonly<Partial<Record<AlertKind, string>>>;
  /** Severity label per alert. Default: the top-level `severity`. */
  readonly severity?: Readonly<Partial<Record<AlertKind, string>>>;
}

/** Names of the series the rules read; change them when the metrics use a prefix or other names. */
export interface AlertMetricNames {
  /** Request counter. Default: `http_requests_total` (with the metrics prefix). */
  readonly requests?: string;
  /** Request duration histogram (without `_bucket`). Default: `http_request_duration_seconds`. */
  readonly duration?: string;
  /** Status code label of both. Default: `status_code`. */
  readonly statusLabel?: string;
  /** Per-check health gauge: 1 healthy, below 1 degraded or failing. Default: `health_check_status`. */
  readonly healthCheck?: string;
  /** Check name label of the health gauge. Default: `check`. */
  readonly checkLabel?: string;
  /** Resident memory gauge. Default: `process_resident_memory_bytes`. */
  readonly memory?: string;
  /** Service label the library sets as a default label. Default: `service`. */
  readonly serviceLabel?: string;
}

/** Options of {@link generateAlertRules} and {@link generateDashboard}. */
export interface AlertingOptions {
  /** One entry per service. */
  readonly services: readonly ServiceSloOptions[];
  /** Prefix of every metric name, the same as `metrics.prefix`. Default: none. */
  readonly prefix?: string;
  /** Series names, when they differ from the library's defaults. */
  readonly metrics?: AlertMetricNames;
  /** Window of rates and quantiles. Default: `5m`. */
  readonly window?: string;
  /** `for` per alert. Defaults: errorRatio 5m, latency 10m, instanceDown 1m, healthCheck 2m, memory 10m. */
  readonly for?: Readonly<Partial<Record<AlertKind, string>>>;
  /** Severity per alert. Defaults: `critical` for errorRatio and instanceDown, else `warning`. */
  readonly severity?: Readonly<Partial<Record<AlertKind, string>>>;
  /** Name of the rule group prefix. Default: `express-observability`. */
  readonly groupPrefix?: string;
  /** Metric names of this preset, the same as `metrics.preset`. Default: `classic`. */
  readonly preset?: MetricsPreset;
  /**
   * Period the error budget of every objective is counted over, a Prometheus duration. The
   * burn windows scale with it (see docs/alerting.md); minutes such as `1h` suit tests and
   * demos. Default: `30d`.
   */
  readonly period?: string;
  /**
   * Shortest window a scaled burn window may have; keep it at least four scrape intervals.
   * Default: `1m` (no 30-day window is shorter).
   */
  readonly minWindow?: string;
  /** Bucket bounds of the duration histogram, the same as `metrics.durationBuckets`. Default: the preset's. */
  readonly durationBuckets?: readonly number[];
}

/** One service with every value resolved. */
export interface ResolvedServiceSlo {
  readonly service: string;
  readonly job: string;
  readonly errorRatio: number;
  readonly minRequestRate: number;
  readonly latencyP95Seconds: number;
  readonly latencyP99Seconds: number;
  readonly memoryBytes: number;
  readonly window: string;
  readonly for: Readonly<Record<AlertKind, string>>;
  readonly severity: Readonly<Record<AlertKind, string>>;
  readonly objectives: ResolvedObjectives;
}

/** Alerting options with every value resolved. */
export interface ResolvedAlertingOptions {
  readonly services: readonly ResolvedServiceSlo[];
  readonly metrics: Readonly<Required<AlertMetricNames>>;
  readonly groupPrefix: string;
  readonly slo: ResolvedSloPeriod;
}

const DEFAULT_FOR: Record<AlertKind, string> = {
  errorRatio: '5m',
  latencyP95: '10m',
  latencyP99: '10m',
  instanceDown: '1m',
  healthCheck: '2m',
  memory: '10m',
  sloAbsent: '10m',
};
const DEFAULT_SEVERITY: Record<AlertKind, string> = {
  errorRatio: 'critical',
  latencyP95: 'warning',
  latencyP99: 'warning',
  instanceDown: 'critical',
  healthCheck: 'warning',
  memory: 'warning',
  sloAbsent: 'ticket',
};
const DURATION = /^(0|(\d+(ms|s|m|h|d|w|y))+)$/;
const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Resolves and validates alerting options; throws {@link ObservabilityConfigError} naming the bad one. */
export function resolveAlertingOptions(options: AlertingOptions): ResolvedAlertingOptions {
  if (
    typeof options !== 'object' ||
    options === null ||
    !Array.isArray(options.services) ||
    options.services.length === 0
  ) {
    throw new ObservabilityConfigError(
      'alerting.services',
      options?.services,
      'a non-empty array such as [{ service: "orders" }]',
    );
  }
  const prefix = options.prefix ?? '';
  if (prefix !== '' && !METRIC.test(prefix)) {
    throw new ObservabilityConfigError('alerting.prefix', prefix, 'a Prometheus name prefix such as "shop_"');
  }
  const preset =
    options.preset === undefined
      ? 'classic'
      : assertOption.oneOf('alerting.preset', options.preset, ['classic', 'otel'] as const);
  const m = options.metrics ?? {};
  // The otel preset has no request counter: the duration histogram's _count counts requests.
  const otelDuration = `${prefix}http_server_request_duration_seconds`;
  const metrics: Required<AlertMetricNames> = {
    requests: name(
      'metrics.requests',
      m.requests ?? (preset === 'otel' ? `${otelDuration}_count` : `${prefix}http_requests_total`),
      METRIC,
    ),
    duration: name(
      'metrics.duration',
      m.duration ?? (preset === 'otel' ? otelDuration : `${prefix}http_request_duration_seconds`),
      METRIC,
    ),
    statusLabel: name(
      'metrics.statusLabel',
      m.statusLabel ?? (preset === 'otel' ? 'http_response_status_code' : 'status_code'),
      LABEL,
    ),
    healthCheck: name('metrics.healthCheck', m.healthCheck ?? `${prefix}health_check_status`, METRIC),
    checkLabel: name('metrics.checkLabel', m.checkLabel ?? 'check', LABEL),
    memory: name('metrics.memory', m.memory ?? `${prefix}process_resident_memory_bytes`, METRIC),
    serviceLabel: name('metrics.serviceLabel', m.serviceLabel ?? 'service', LABEL),
  };
  const window = duration('alerting.window', options.window ?? '5m');
  const forAll = kinds('alerting.for', DEFAULT_FOR, options.for, duration);
  const severityAll = kinds(
    'alerting.severity',
    DEFAULT_SEVERITY,
    options.severity,
    assertOption.nonEmptyString,
  );
  const slo = resolveSloPeriod(options.period, options.minWindow, options.durationBuckets, preset);
  const seen = new Set<string>();
  const services = options.services.map((s, i): ResolvedServiceSlo => {
    const at = `alerting.services[${i}]`;
    const service = assertOption.nonEmptyString(`${at}.service`, s?.service);
    if (seen.has(service))
      throw new ObservabilityConfigError(`${at}.service`, service, 'a service name not listed twice');
    seen.add(service);
    return {
      service,
      job: s.job === undefined ? service : assertOption.nonEmptyString(`${at}.job`, s.job),
      errorRatio: s.errorRatio === undefined ? 0.05 : assertOption.ratio(`${at}.errorRatio`, s.errorRatio),
      minRequestRate:
        s.minRequestRate === undefined
          ? 0
          : assertOption.nonNegativeNumber(`${at}.minRequestRate`, s.minRequestRate),
      latencyP95Seconds:
        s.latencyP95Seconds === undefined
          ? 0.5
          : assertOption.positiveNumber(`${at}.latencyP95Seconds`, s.latencyP95Seconds),
      latencyP99Seconds:
        s.latencyP99Seconds === undefined
          ? 1
          : assertOption.positiveNumber(`${at}.latencyP99Seconds`, s.latencyP99Seconds),
      memoryBytes:
        s.memoryBytes === undefined
          ? 512 * 1024 * 1024
          : assertOption.positiveNumber(`${at}.memoryBytes`, s.memoryBytes),
      window: s.window === undefined ? window : duration(`${at}.window`, s.window),
      for: kinds(`${at}.for`, forAll, s.for, duration),
      severity: kinds(`${at}.severity`, severityAll, s.severity, assertOption.nonEmptyString),
      objectives: resolveObjectives(at, s, slo.durationBuckets),
    };
  });
  return {
    services,
    metrics,
    groupPrefix: assertOption.nonEmptyString(
      'alerting.groupPrefix',
      options.groupPrefix ?? 'express-observability',
    ),
    slo,
  };
}

function name(option: string, value: unknown, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ObservabilityConfigError(
      `alerting.${option}`,
      value,
      `a Prometheus name matching ${pattern.source}`,
    );
  }
  return value;
}

function duration(option: string, value: unknown): string {
  if (typeof value !== 'string' || !DURATION.test(value)) {
    throw new ObservabilityConfigError(option, value, 'a Prometheus duration such as "30s", "5m" or "1h30m"');
  }
  return value;
}

function kinds(
  option: string,
  base: Readonly<Record<AlertKind, string>>,
  input: Readonly<Partial<Record<AlertKind, string>>> | undefined,
  check: (option: string, value: unknown) => string,
): Record<AlertKind, string> {
  const out = { ...base };
  for (const [kind, value] of Object.entries(input ?? {})) {
    if (!(ALERT_KINDS as readonly string[]).includes(kind)) {
      throw new ObservabilityConfigError(`${option}.${kind}`, value, `keys among ${ALERT_KINDS.join(', ')}`);
    }
    out[kind as AlertKind] = check(`${option}.${kind}`, value);
  }
  return out;
}
