import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry, type RegistryContentType } from 'prom-client';
import type { ErrorReporter } from '../errorReporter';
import type { HealthChecker } from '../health/HealthChecker';
import type { FinishedRequest } from '../requestLifecycle';
import { BusinessMetrics } from './BusinessMetrics';
import { joinCluster } from './ClusterMetrics';
import { collectRuntimeMetrics } from './collectRuntimeMetrics';
import { defineHealthMetrics } from './HealthMetrics';
import { HttpMetrics } from './HttpMetrics';
import { LabelGuard } from './LabelGuard';
import { MetricDefinitions } from './MetricDefinitions';
import type { ResolvedMetricsOptions } from './metricsOptions';
import { ScrapeRenderer } from './ScrapeRenderer';
import { SelfMetrics } from './SelfMetrics';

/** The metrics pillar of an instance. */
export interface Metrics {
  /** The instance's registry (prom-client types it as Prometheus; it is OpenMetrics with exemplars). */
  readonly registry: Registry;
  /** Get-or-create counters, gauges, histograms and summaries on this registry; label-safe at run time. */
  readonly define: MetricDefinitions;
  /** Business, cache, connection and database helpers. */
  readonly business: BusinessMetrics;
  /** Called by the request middleware when a request arrives. */
  requestStarted(): void;
  /** Called by the request middleware once per finished or aborted request. */
  requestFinished(request: FinishedRequest): void;
  /**
   * Renders the registry for a scrape: OpenMetrics when `accept` asks for it, else the
   * Prometheus text format; the workers' sum in a cluster primary (with `cluster: true`).
   */
  render(accept: string | undefined): Promise<{ contentType: string; body: string }>;
  /** The management server, when `managementPort` is set and it has been started. */
  readonly managementServer: Server | undefined;
  /** Address of the management server once it listens. */
  managementAddress(): Promise<AddressInfo>;
  /** Records the management server started for this instance (done by the Express layer). */
  setManagementServer(server: Server): void;
  shutdown(): Promise<void>;
}

/** What the metrics pillar needs from the rest of the instance. */
export interface MetricsDeps {
  readonly errors: ErrorReporter;
  readonly health: HealthChecker;
  /** Logs one warning (cardinality overflow). */
  readonly warn: (message: string, meta: Record<string, unknown>) => void;
  /** Health gauges answer within this at scrape time. Default: half the collector timeout. */
  readonly healthDeadlineMs?: number;
}

/** Builds the metrics pillar. */
export function createMetrics(options: ResolvedMetricsOptions, deps: MetricsDeps): Metrics {
  const { errors } = deps;
  const registry = (options.registry ?? ownRegistry(options.exemplars)) as Registry;
  const own = (registry as unknown as { _defaultLabels?: Record<string, string> })._defaultLabels;
  registry.setDefaultLabels({ ...options.defaultLabels, ...own });
  const internal = new MetricDefinitions(registry, options.prefix);
  const self = new SelfMetrics(internal, errors, deps.warn);
  const define = new MetricDefinitions(registry, options.prefix, new LabelGuard(self, options.maxSeriesPerMetric));
  const http = new HttpMetrics(registry, internal, options, self);
  if (options.defaultMetrics) collectRuntimeMetrics(registry, options.prefix);
  defineHealthMetrics(internal, deps.health, deps.healthDeadlineMs ?? options.collectorTimeoutMs / 2);
  const renderer = new ScrapeRenderer(registry, self, errors, options.collectorTimeoutMs);
  const cluster = options.cluster ? joinCluster(renderer) : undefined;
  let management: Server | undefined;

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
    get managementServer() {
      return management;
    },
    async managementAddress() {
      const server = management;
      if (!server) throw new Error('express-observability: no management server (set metrics.managementPort)');
      if (!server.listening) {
        await new Promise<void>((resolve, reject) => {
          server.once('listening', resolve);
          server.once('error', reject);
        });
      }
      return server.address() as AddressInfo;
    },
    setManagementServer(server) {
      management = server;
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
