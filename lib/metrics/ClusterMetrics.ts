import cluster from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';
import type { ScrapeRenderer } from './ScrapeRenderer';

/**
 * The registries this worker process reports to the primary. prom-client keeps one
 * process-wide list (`AggregatorRegistry.setRegistries`), so instances in one worker
 * share it: each adds its own on construction and removes it at shutdown.
 */
const workerRegistries = new Set<Registry>();

/** A registry whose JSON (what a worker sends) skips failing collectors like a scrape does. */
class ProtectedJsonRegistry extends Registry {
  constructor(private readonly renderer: ScrapeRenderer) {
    super();
  }

  override getMetricsAsJSON(): Promise<any> {
    return this.renderer.json();
  }
}

/** One instance's part in cluster aggregation. */
export interface ClusterMetrics {
  /** In the primary: the sum of every worker's metrics, Prometheus text. Undefined in a worker. */
  readonly aggregate: (() => Promise<string>) | undefined;
  leave(): void;
}

/**
 * Joins prom-client's cluster aggregation. In a worker, the instance's registry answers the
 * primary's requests; in the primary, `aggregate()` asks every worker and sums (counters,
 * histograms) or combines by each metric's `aggregator`.
 */
export function joinCluster(renderer: ScrapeRenderer): ClusterMetrics {
  if (cluster.isWorker) {
    const registry = new ProtectedJsonRegistry(renderer);
    workerRegistries.add(registry);
    // The constructor installs prom-client's (idempotent) message listener in this worker.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([...workerRegistries]);
    return {
      aggregate: undefined,
      leave() {
        workerRegistries.delete(registry);
        AggregatorRegistry.setRegistries([...workerRegistries]);
      },
    };
  }
  const aggregator = new AggregatorRegistry();
  return { aggregate: () => aggregator.clusterMetrics(), leave() {} };
}
