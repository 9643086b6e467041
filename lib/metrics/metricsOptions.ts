import type { IncomingMessage } from 'node:http';
import { Registry, type RegistryContentType } from 'prom-client';
import { assertOption, ObservabilityConfigError } from '../configError';

/** Which names and labels the HTTP metrics use. */
export type MetricsPreset = 'classic' | 'otel';

/** Metrics options. */
export interface MetricsOptions {
  /** Turn the metrics pillar off. Default: true. */
  readonly enabled?: boolean;
  /** Registry to use. Default: a new registry owned by the instance (never prom-client's global one). */
  readonly registry?: Registry<RegistryContentType>;
  /** Prefix for every metric name the library defines (HTTP, runtime, business, self). Default: none. */
  readonly prefix?: string;
  /** Path of the metrics route. Default: `/metrics`. */
  readonly path?: string;
  /** Labels added to every series. Default: `{ service: serviceName }`. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /**
   * `classic`: `http_requests_total` and `http_request_duration_seconds` with `method`, `route`,
   * `status_code`. `otel`: OpenTelemetry semantic-convention names
   * (`http_server_request_duration_seconds` with `http_request_method`, `http_route`,
   * `http_response_status_code`, `error_type`). Default: `classic`.
   */
  readonly preset?: MetricsPreset;
  /** Duration histogram buckets in seconds. Default: 5 ms to 10 s (classic), the OTel advice (otel). */
  readonly durationBuckets?: readonly number[];
  /** Record request and response body sizes (bytes, as counted on the wire). Default: true. */
  readonly bodySizes?: boolean;
  /** Body size histogram buckets in bytes. Default: 100 B to 10 MB, powers of 10. */
  readonly sizeBuckets?: readonly number[];
  /**
   * Most label combinations one metric may hold; further ones go to one overflow series
   * (every label `OVERFLOW`), are counted in `express_observability_series_overflow_total`
   * and logged once per metric. Default: 1000.
   */
  readonly maxSeriesPerMetric?: number;
  /**
   * Requests not recorded in the HTTP metrics: exact paths, route templates or RegExps
   * tested on the path. The library's own health, metrics and info routes are never
   * recorded. Default: none.
   */
  readonly excludePaths?: ReadonlyArray<string | RegExp>;
  /**
   * prom-client's runtime metrics on this registry. The gauges prom-client names `*_total`
   * (`nodejs_active_handles_total`, `nodejs_active_requests_total`,
   * `nodejs_active_resources_total`) are left out: they fail `promtool check metrics`, and
   * `sum(nodejs_active_handles)` gives the same number. Default: true.
   */
  readonly defaultMetrics?: boolean;
  /**
   * Who may scrape: a bearer token, or a function of the request. Default: `METRICS_TOKEN`
   * env var when set, else anyone.
   */
  readonly auth?: string | ((req: IncomingMessage) => boolean);
  /** Alias of the top-level `management.port` (kept for earlier configurations). */
  readonly managementPort?: number;
  /** Alias of the top-level `management.host`. */
  readonly managementHost?: string;
  /**
   * Under `node:cluster`: workers answer the primary's requests for their metrics and an
   * instance in the primary serves the sum of all workers. Default: false.
   */
  readonly cluster?: boolean;
  /** A collector (a metric's `collect`) slower than this is skipped for that scrape and counted. Default: 1000 ms. */
  readonly collectorTimeoutMs?: number;
  /**
   * Trace exemplars on the duration histogram (OpenMetrics scrapes only). Default: true when
   * `registry` is an OpenMetrics registry, else false; true makes the instance's own registry
   * an OpenMetrics one.
   */
  readonly exemplars?: boolean;
}

/** Metrics options after defaults and validation. */
export interface ResolvedMetricsOptions {
  readonly enabled: boolean;
  readonly registry: Registry<RegistryContentType> | undefined;
  readonly prefix: string;
  readonly path: string;
  readonly defaultLabels: Readonly<Record<string, string>>;
  readonly preset: MetricsPreset;
  readonly durationBuckets: readonly number[];
  readonly bodySizes: boolean;
  readonly sizeBuckets: readonly number[];
  readonly maxSeriesPerMetric: number;
  readonly excludePaths: ReadonlyArray<string | RegExp>;
  readonly defaultMetrics: boolean;
  readonly auth: string | ((req: IncomingMessage) => boolean) | undefined;
  readonly managementPort: number | undefined;
  readonly managementHost: string | undefined;
  readonly cluster: boolean;
  readonly collectorTimeoutMs: number;
  /** Health gauges answer within this at scrape time: the probe deadline, at most half the collector timeout. */
  readonly healthDeadlineMs: number;
  readonly exemplars: boolean;
}

const CLASSIC_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// OpenTelemetry's advice for http.server.request.duration.
const OTEL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** The duration histogram's default buckets per preset (the alert generator checks latency thresholds against them). */
export const DEFAULT_DURATION_BUCKETS: Readonly<Record<MetricsPreset, readonly number[]>> = {
  classic: CLASSIC_BUCKETS,
  otel: OTEL_BUCKETS,
};
const SIZE_BUCKETS = [100, 1000, 10_000, 100_000, 1_000_000, 10_000_000];
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Resolves metrics options; throws {@link ObservabilityConfigError} on a bad value. */
export function resolveMetricsOptions(
  input: MetricsOptions | false | undefined,
  env: NodeJS.ProcessEnv,
  serviceName: string,
  probeDeadlineMs: number,
): ResolvedMetricsOptions {
  const o: MetricsOptions = input === false ? { enabled: false } : (input ?? {});
  const prefix = o.prefix ?? '';
  if (prefix !== '' && !NAME.test(prefix)) {
    throw new ObservabilityConfigError('metrics.prefix', prefix, 'a Prometheus name prefix such as "shop_"');
  }
  if (o.registry !== undefined && !(o.registry instanceof Registry)) {
    throw new ObservabilityConfigError('metrics.registry', o.registry, "a prom-client Registry (from the app's one copy of prom-client)");
  }
  const path = o.path ?? '/metrics';
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new ObservabilityConfigError('metrics.path', path, 'a path starting with "/", such as "/metrics"');
  }
  const preset = o.preset === undefined ? 'classic' : assertOption.oneOf('metrics.preset', o.preset, ['classic', 'otel'] as const);
  const openMetricsRegistry = o.registry?.contentType === Registry.OPENMETRICS_CONTENT_TYPE;
  const exemplars = o.exemplars === undefined ? openMetricsRegistry : assertOption.boolean('metrics.exemplars', o.exemplars);
  if (exemplars && o.registry && !openMetricsRegistry) {
    throw new ObservabilityConfigError('metrics.exemplars', true, 'false, or a registry created with new Registry(Registry.OPENMETRICS_CONTENT_TYPE)');
  }
  const auth = o.auth ?? (env.METRICS_TOKEN || undefined);
  if (auth !== undefined && typeof auth !== 'function' && (typeof auth !== 'string' || auth === '')) {
    throw new ObservabilityConfigError('metrics.auth', auth, 'a bearer token string or a function (req) => boolean');
  }
  const collectorTimeoutMs =
    o.collectorTimeoutMs === undefined ? 1000 : assertOption.positiveNumber('metrics.collectorTimeoutMs', o.collectorTimeoutMs);
  return {
    enabled: o.enabled === undefined ? true : assertOption.boolean('metrics.enabled', o.enabled),
    registry: o.registry,
    prefix,
    path,
    defaultLabels: labels({ service: serviceName, ...o.defaultLabels }),
    preset,
    durationBuckets: buckets('metrics.durationBuckets', o.durationBuckets ?? (preset === 'otel' ? OTEL_BUCKETS : CLASSIC_BUCKETS)),
    bodySizes: o.bodySizes === undefined ? true : assertOption.boolean('metrics.bodySizes', o.bodySizes),
    sizeBuckets: buckets('metrics.sizeBuckets', o.sizeBuckets ?? SIZE_BUCKETS),
    maxSeriesPerMetric: o.maxSeriesPerMetric === undefined ? 1000 : integer('metrics.maxSeriesPerMetric', o.maxSeriesPerMetric),
    excludePaths: excludes(o.excludePaths ?? []),
    defaultMetrics: o.defaultMetrics === undefined ? true : assertOption.boolean('metrics.defaultMetrics', o.defaultMetrics),
    auth,
    managementPort: o.managementPort === undefined ? undefined : port(o.managementPort),
    managementHost: o.managementHost === undefined ? undefined : assertOption.nonEmptyString('metrics.managementHost', o.managementHost),
    cluster: o.cluster === undefined ? false : assertOption.boolean('metrics.cluster', o.cluster),
    collectorTimeoutMs,
    healthDeadlineMs: Math.min(probeDeadlineMs, collectorTimeoutMs / 2),
    exemplars,
  };
}

function labels(value: Record<string, unknown>): Record<string, string> {
  for (const [k, v] of Object.entries(value)) {
    if (!LABEL.test(k) || k.startsWith('__') || typeof v !== 'string') {
      throw new ObservabilityConfigError(`metrics.defaultLabels.${k}`, v, 'a string value under a label name matching [a-zA-Z_][a-zA-Z0-9_]*');
    }
  }
  return value as Record<string, string>;
}

function buckets(option: string, value: unknown): readonly number[] {
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((b, i) => typeof b === 'number' && Number.isFinite(b) && (i === 0 || b > (value[i - 1] as number)));
  if (!ok) throw new ObservabilityConfigError(option, value, 'a non-empty array of finite numbers in increasing order');
  return value as number[];
}

function integer(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ObservabilityConfigError(option, value, 'a whole number of 1 or more');
  }
  return value;
}

function port(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ObservabilityConfigError('metrics.managementPort', value, 'a port number from 0 (ephemeral) to 65535');
  }
  return value;
}

function excludes(value: unknown): ReadonlyArray<string | RegExp> {
  if (!Array.isArray(value) || !value.every((p) => (typeof p === 'string' && p.startsWith('/')) || p instanceof RegExp)) {
    throw new ObservabilityConfigError('metrics.excludePaths', value, 'an array of paths starting with "/" or RegExps');
  }
  return value;
}
