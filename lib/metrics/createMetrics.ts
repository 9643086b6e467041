import { Counter, Histogram, Registry } from 'prom-client';
import type { ErrorReporter } from '../errorReporter';
import type { FinishedRequest } from '../requestLifecycle';
import { MetricDefinitions } from './MetricDefinitions';
import type { ResolvedMetricsOptions } from './metricsOptions';

/** The metrics pillar of an instance. */
export interface Metrics {
  readonly registry: Registry;
  /** Get-or-create counters, gauges, histograms and summaries on this registry. */
  readonly define: MetricDefinitions;
  /** Called by the request middleware when a request arrives. */
  requestStarted(): void;
  /** Called by the request middleware once per finished or aborted request. */
  requestFinished(request: FinishedRequest): void;
  /** Renders the registry for a scrape, in the format `accept` asks for. */
  render(accept: string | undefined): Promise<{ contentType: string; body: string }>;
  shutdown(): Promise<void>;
}

/** Builds the metrics pillar. */
export function createMetrics(options: ResolvedMetricsOptions, errors: ErrorReporter): Metrics {
  const registry = options.registry ?? new Registry();
  registry.setDefaultLabels(options.defaultLabels);
  const requests = new Counter({
    name: `${options.prefix}http_requests_total`,
    help: 'HTTP requests served, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${options.prefix}http_request_duration_seconds`,
    help: 'HTTP request duration in seconds, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    define: new MetricDefinitions(registry, options.prefix),
    requestStarted() {},
    requestFinished(r) {
      try {
        const labels = { method: r.method, route: r.route, status_code: r.statusCode };
        requests.inc(labels);
        duration.observe(labels, r.durationSeconds);
      } catch (e) {
        errors.report('metrics', e);
      }
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    async shutdown() {},
  };
}
