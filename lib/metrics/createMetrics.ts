import { Registry, type RegistryContentType } from 'prom-client';
import type { ResolvedConfig } from '../config';
import type { Pillar, PillarDeps } from '../pillar';
import type { FinishedRequest } from '../requestLifecycle';
import { BusinessMetrics } from './BusinessMetrics';
import { joinCluster } from './ClusterMetrics';
import { collectRuntimeMetrics } from './collectRuntimeMetrics';
import { defineHealthMetrics } from './HealthMetrics';
import { HttpMetrics } from './HttpMetrics';
import { LabelGuard } from './LabelGuard';
import { MetricDefinitions } from './MetricDefinitions';
import { ScrapeRenderer } from './ScrapeRenderer';
import { SelfMetrics } from './SelfMetrics';

/** The metrics pillar of an instance; it records each finished request's RED series. */
export interface Metrics extends Pillar {
  /** The instance's registry (prom-client types it as Prometheus; it is OpenMetrics with exemplars). */
  readonly registry: Registry;
  /** Get-or-create counters, gauges, histograms and summaries on this registry; label-safe at run time. */
  readonly define: MetricDefinitions;
  /** Business, cache, connection and database helpers. */
  readonly business: BusinessMetrics;
  /** Called by the request middleware when a request arrives. */
  requestStarted(): void;
  /** Records one finished or aborted request (a request-finished consumer). */
  readonly requestFinished: (request: FinishedRequest) => void;
  /**
   * Renders the registry for a scrape: OpenMetrics when `accept` asks for it, else the
   * Prometheus text format; the workers' sum in a cluster primary (with `cluster: true`).
   */
  render(accept: string | undefined): Promise<{ contentType: string; body: string }>;
}

/** Builds the metrics pillar. */
export function createMetrics(config: ResolvedConfig, deps: PillarDeps): Metrics {
  const options = config.metrics;
  const { errors } = deps;
  const registry = (options.registry ?? ownRegistry(options.exemplars)) as Registry;
  const own = (registry as unknown as { _defaultLabels?: Record<string, string> })._defaultLabels;
  registry.setDefaultLabels({ ...options.defaultLabels, ...own });
  const internal = new MetricDefinitions(registry, options.prefix);
  const self = new SelfMetrics(internal, errors, deps.warn);
  const define = new MetricDefinitions(registry, options.prefix, new LabelGuard(self, options.maxSeriesPerMetric));
  const http = new HttpMetrics(registry, internal, options, self);
  if (options.defaultMetrics) collectRuntimeMetrics(registry, options.prefix);
  defineHealthMetrics(internal, deps.health, options.healthDeadlineMs);
  const renderer = new ScrapeRenderer(registry, self, errors, options.collectorTimeoutMs);
  const cluster = options.cluster ? joinCluster(renderer) : undefined;

  return {
    registry,
    define,
    business: new BusinessMetrics(define, self, options.maxSeriesPerMetric),
    requestStarted() {
      http.started();
    },
    requestFinished(r) {
      try {
        http.finished(r);
      } catch (e) {
        errors.report('metrics', e);
      }
    },
    async render(accept) {
      if (cluster?.aggregate) return { contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: await cluster.aggregate() };
      const openMetrics = typeof accept === 'string' && accept.includes('application/openmetrics-text');
      return {
        contentType: openMetrics ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE,
        body: await renderer.render(openMetrics),
      };
    },
    async shutdown() {
      cluster?.leave();
    },
  };
}

function ownRegistry(openMetrics: boolean): Registry<RegistryContentType> {
  const registry = new Registry<RegistryContentType>();
  // prom-client accepts exemplars only on metrics of an OpenMetrics registry.
  if (openMetrics) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry;
}
