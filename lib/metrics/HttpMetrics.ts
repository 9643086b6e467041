import type { Counter, Gauge, Histogram } from 'prom-client';
import type { FinishedRequest } from '../requestLifecycle';
import { OVERFLOW_LABEL } from './LabelGuard';
import type { MetricDefinitions } from './MetricDefinitions';
import type { ResolvedMetricsOptions } from './metricsOptions';
import type { SelfMetrics } from './SelfMetrics';

type Labels = Record<string, string>;

interface Names {
  readonly method: string;
  readonly route: string;
  readonly status: string;
  readonly errorType: string | undefined;
}

const CLASSIC: Names = { method: 'method', route: 'route', status: 'status_code', errorType: undefined };
const OTEL: Names = { method: 'http_request_method', route: 'http_route', status: 'http_response_status_code', errorType: 'error_type' };
// OpenTelemetry's known methods; any other becomes `_OTHER` in the otel preset.
const OTEL_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);
const ERROR_NAME = /^[A-Za-z_$][\w$.]{0,63}$/;

/**
 * RED metrics of the HTTP server in the classic or OpenTelemetry naming. Label objects
 * are built once per (route, method, status) and reused, so a finished request costs a
 * few map lookups and the prom-client updates; the cache itself is the cardinality cap.
 */
export class HttpMetrics {
  private inFlight = 0;
  private series = 0;
  private readonly cache = new Map<string, Map<string, Map<number | string, Labels>>>();
  private readonly names: Names;
  private readonly overflowLabels: Labels;
  private readonly requests: Counter<string> | undefined;
  private readonly duration: Histogram<string>;
  private readonly requestSize: Histogram<string> | undefined;
  private readonly responseSize: Histogram<string> | undefined;
  private readonly metricNames: string[];
  private readonly excludeExact: ReadonlySet<string>;
  private readonly excludeRegExps: readonly RegExp[];
  private readonly exemplars: boolean;
  private readonly maxSeries: number;

  constructor(
    define: MetricDefinitions,
    options: ResolvedMetricsOptions,
    private readonly self: SelfMetrics,
  ) {
    const otel = options.preset === 'otel';
    const n = (this.names = otel ? OTEL : CLASSIC);
    const labelNames = [n.method, n.route, n.status, ...(n.errorType ? [n.errorType] : [])];
    this.overflowLabels = { [n.method]: OVERFLOW_LABEL, [n.route]: OVERFLOW_LABEL, [n.status]: OVERFLOW_LABEL };
    this.requests = otel
      ? undefined
      : define.counter({ name: 'http_requests_total', help: 'HTTP requests served, by method, route template and status code.', labelNames });
    this.duration = define.histogram({
      name: otel ? 'http_server_request_duration_seconds' : 'http_request_duration_seconds',
      help: otel ? 'Duration of HTTP server requests.' : 'HTTP request duration in seconds, by method, route template and status code.',
      labelNames,
      buckets: options.durationBuckets,
      enableExemplars: options.exemplars,
    });
    if (options.bodySizes) {
      this.requestSize = define.histogram({
        name: otel ? 'http_server_request_body_size_bytes' : 'http_request_size_bytes',
        help: 'Size of HTTP request bodies in bytes, as read from the connection.',
        labelNames,
        buckets: options.sizeBuckets,
      });
      this.responseSize = define.histogram({
        name: otel ? 'http_server_response_body_size_bytes' : 'http_response_size_bytes',
        help: 'Size of HTTP response bodies in bytes, as written to the connection.',
        labelNames,
        buckets: options.sizeBuckets,
      });
    }
    const current = (): number => this.inFlight;
    define.gauge({
      name: otel ? 'http_server_active_requests' : 'http_requests_in_flight',
      help: 'HTTP requests being served right now.',
      collect(this: Gauge) {
        this.set(current());
      },
    });
    this.metricNames = [this.requests, this.duration, this.requestSize, this.responseSize].flatMap((m) =>
      m ? [(m as unknown as { name: string }).name] : [],
    );
    this.excludeExact = new Set(options.excludePaths.filter((p): p is string => typeof p === 'string'));
    this.excludeRegExps = options.excludePaths.filter((p): p is RegExp => p instanceof RegExp);
    this.exemplars = options.exemplars;
    this.maxSeries = options.maxSeriesPerMetric;
  }

  /** A request arrived (counted in flight until it finishes or aborts). */
  started(): void {
    this.inFlight++;
  }

  /** A request finished or was aborted. */
  finished(r: FinishedRequest): void {
    if (this.inFlight > 0) this.inFlight--;
    if (this.excluded(r)) return;
    const labels = this.labelsFor(r);
    this.requests?.inc(labels);
    if (!this.exemplars) this.duration.observe(labels, r.durationSeconds);
    else if (r.traceId) {
      this.duration.observe({ labels, value: r.durationSeconds, exemplarLabels: { trace_id: r.traceId, span_id: r.spanId ?? '' } } as never);
    } else this.duration.observe({ labels, value: r.durationSeconds } as never);
    if (this.requestSize) {
      this.requestSize.observe(labels, r.requestBytes);
      this.responseSize!.observe(labels, r.responseBytes);
    }
  }

  private excluded(r: FinishedRequest): boolean {
    if (this.excludeExact.size > 0 && (this.excludeExact.has(r.path) || this.excludeExact.has(r.route))) return true;
    for (const re of this.excludeRegExps) if (re.test(r.path)) return true;
    return false;
  }

  private labelsFor(r: FinishedRequest): Labels {
    const errorType = this.names.errorType ? errorTypeOf(r) : undefined;
    const key: number | string = errorType === undefined ? r.statusCode : `${r.statusCode} ${errorType}`;
    let byMethod = this.cache.get(r.route);
    let byStatus = byMethod?.get(r.method);
    const cached = byStatus?.get(key);
    if (cached) return cached;
    if (this.series >= this.maxSeries) {
      for (const name of this.metricNames) this.self.overflowed(name, this.maxSeries);
      return this.overflowLabels;
    }
    const n = this.names;
    const labels: Labels = {
      [n.method]: n.errorType && !OTEL_METHODS.has(r.method) ? '_OTHER' : r.method,
      [n.route]: r.route,
      [n.status]: String(r.statusCode),
    };
    if (errorType !== undefined) labels[n.errorType!] = errorType;
    if (!byMethod) this.cache.set(r.route, (byMethod = new Map()));
    if (!byStatus) byMethod.set(r.method, (byStatus = new Map()));
    byStatus.set(key, labels);
    this.series++;
    return labels;
  }
}

/** OpenTelemetry's `error.type`: set for aborted requests and server errors only. */
function errorTypeOf(r: FinishedRequest): string | undefined {
  if (r.aborted) return 'aborted';
  if (r.statusCode < 500) return undefined;
  const e = r.error as { name?: unknown; constructor?: { name?: unknown } } | undefined;
  const name = e && typeof e === 'object' ? (e.constructor?.name !== 'Object' ? e.constructor?.name : e.name) : undefined;
  if (typeof name === 'string' && name !== 'Error') return ERROR_NAME.test(name) ? name : '_OTHER';
  return String(r.statusCode);
}
