import type { Gauge, Registry } from 'prom-client';
import type { FinishedRequest } from '../requestLifecycle';
import { HttpFamily } from './HttpFamily';
import { HttpSeriesStore, type HttpLabelNames } from './HttpSeriesStore';
import type { MetricDefinitions } from './MetricDefinitions';
import type { ResolvedMetricsOptions } from './metricsOptions';
import type { SelfMetrics } from './SelfMetrics';

const CLASSIC: HttpLabelNames = { method: 'method', route: 'route', status: 'status_code', errorType: undefined };
const OTEL: HttpLabelNames = { method: 'http_request_method', route: 'http_route', status: 'http_response_status_code', errorType: 'error_type' };

/**
 * RED metrics of the HTTP server in the classic or OpenTelemetry naming: requests
 * counter (classic), duration histogram (with exemplars on OpenMetrics registries),
 * body size histograms and requests in flight.
 */
export class HttpMetrics {
  private inFlight = 0;
  private readonly store: HttpSeriesStore;
  private readonly excludeExact: ReadonlySet<string>;
  private readonly excludeRegExps: readonly RegExp[];

  constructor(registry: Registry, define: MetricDefinitions, options: ResolvedMetricsOptions, self: SelfMetrics) {
    const otel = options.preset === 'otel';
    const p = options.prefix;
    const names = {
      requests: otel ? undefined : `${p}http_requests_total`,
      duration: `${p}${otel ? 'http_server_request_duration_seconds' : 'http_request_duration_seconds'}`,
      requestSize: options.bodySizes ? `${p}${otel ? 'http_server_request_body_size_bytes' : 'http_request_size_bytes'}` : undefined,
      responseSize: options.bodySizes ? `${p}${otel ? 'http_server_response_body_size_bytes' : 'http_response_size_bytes'}` : undefined,
    };
    let store = new HttpSeriesStore(
      {
        names: otel ? OTEL : CLASSIC,
        durationBounds: options.durationBuckets,
        sizeBounds: options.bodySizes ? options.sizeBuckets : undefined,
        exemplars: options.exemplars,
        maxSeries: options.maxSeriesPerMetric,
        metricNames: Object.values(names).filter((n): n is string => n !== undefined),
      },
      self,
    );
    const what = otel ? 'Duration of HTTP server requests.' : 'HTTP request duration in seconds, by method, route template and status code.';
    store = HttpFamily.register(registry, { name: names.duration, help: what, type: 'histogram', cells: (s) => s.duration, bounds: store.shape.durationBounds }, store);
    if (names.requests) {
      store = HttpFamily.register(registry, { name: names.requests, help: 'HTTP requests served, by method, route template and status code.', type: 'counter' }, store);
    }
    if (names.requestSize && names.responseSize) {
      const bounds = store.shape.sizeBounds;
      const help = (what: string) => `Size of HTTP ${what} bodies in bytes, as counted on the connection.`;
      store = HttpFamily.register(registry, { name: names.requestSize, help: help('request'), type: 'histogram', cells: (s) => s.requestSize, bounds }, store);
      store = HttpFamily.register(registry, { name: names.responseSize, help: help('response'), type: 'histogram', cells: (s) => s.responseSize, bounds }, store);
    }
    this.store = store;
    const current = (): number => this.inFlight;
    define.gauge({
      name: otel ? 'http_server_active_requests' : 'http_requests_in_flight',
      help: 'HTTP requests being served right now.',
      collect(this: Gauge) {
        this.set(current());
      },
    });
    this.excludeExact = new Set(options.excludePaths.filter((x): x is string => typeof x === 'string'));
    this.excludeRegExps = options.excludePaths.filter((x): x is RegExp => x instanceof RegExp);
  }

  /** A request arrived (counted in flight until it finishes or aborts). */
  started(): void {
    this.inFlight++;
  }

  /** A request finished or was aborted. */
  finished(r: FinishedRequest): void {
    if (this.inFlight > 0) this.inFlight--;
    if (this.excluded(r)) return;
    this.store.record(r);
  }

  private excluded(r: FinishedRequest): boolean {
    if (this.excludeExact.size > 0 && (this.excludeExact.has(r.path) || this.excludeExact.has(r.route))) return true;
    for (const re of this.excludeRegExps) if (re.test(r.path)) return true;
    return false;
  }
}
