import type { ResolvedConfig } from './config';
import type { ErrorReporter } from './errorReporter';
import type { HealthChecker } from './health/HealthChecker';
import type { Metrics } from './metrics/createMetrics';
import type { FinishedRequest } from './requestLifecycle';

/**
 * What every pillar is built from, besides the resolved config. One object for all of
 * them, filled in the core's declared order: a pillar built later finds the ones before it.
 */
export interface PillarDeps {
  readonly errors: ErrorReporter;
  readonly health: HealthChecker;
  /** Logs one warning through the instance's logger (dropped while the logger is not built yet). */
  readonly warn: (message: string, meta?: Record<string, unknown>) => void;
  /** The metrics pillar when metrics are on, for the self-metrics of the pillars built after it. */
  readonly metrics: Metrics | undefined;
}

/** Consumes each finished (or aborted) request; called once per request, never throws into it. */
export type RequestFinishedConsumer = (request: FinishedRequest) => void;

/**
 * The shape every pillar has: built by `createX(config, deps)`, optionally consuming each
 * finished request, and shut down by the core in its declared order.
 */
export interface Pillar {
  /** Takes part in every finished request when set; read once, when the core is built. */
  readonly requestFinished?: RequestFinishedConsumer;
  /**
   * Flushes and releases what the pillar holds, finishing within `timeoutMs` (a pillar
   * whose last word matters, the logs, may take a floor of its own). Idempotent.
   */
  shutdown(timeoutMs: number): Promise<void>;
}

/** A pillar's factory: the resolved config and the shared deps, nothing else. */
export type PillarFactory<P extends Pillar> = (config: ResolvedConfig, deps: PillarDeps) => P;
