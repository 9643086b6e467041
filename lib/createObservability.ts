import type { Server } from 'node:http';
import type { Tracer } from '@opentelemetry/api';
import type winston from 'winston';
import { resolveConfig, type ObservabilityOptions, type ResolvedConfig } from './config';
import { createErrorReporter, type ErrorReporter, type TelemetrySource } from './errorReporter';
import { setGlobalObservability, getGlobalObservability } from './globalObservability';
import { HealthChecker } from './health/HealthChecker';
import { LivenessMonitor } from './health/livenessMonitor';
import { createLogging, type Logging } from './logging/createLogging';
import { createMetrics, type Metrics } from './metrics/createMetrics';
import { manageShutdown, type ShutdownHandle, type ShutdownOptions } from './shutdown/manageShutdown';
import { countdown, withDeadline } from './shutdown/withDeadline';
import { createTracing, type Tracing } from './tracing/createTracing';

/** What the log flush gets at shutdown even when the deadline has passed. */
const LOG_FLUSH_FLOOR_MS = 250;

/** Lifecycle of an instance, as the probes report it. */
export interface LifecycleState {
  /** The app declared itself started (`markStarted()`, or at construction with `health.startup: 'auto'`). */
  readonly started: boolean;
  /** Shutdown has begun: readiness answers 503 from now on. */
  readonly shuttingDown: boolean;
  /** `shutdown()` has finished. */
  readonly closed: boolean;
}

/** Everything an instance owns, without the Express surface (which `middleware/` adds). */
export interface ObservabilityCore {
  readonly config: ResolvedConfig;
  readonly health: HealthChecker;
  readonly liveness: LivenessMonitor;
  readonly metrics: Metrics | undefined;
  readonly tracing: Tracing;
  /** A tracer for manual spans. */
  readonly tracer: Tracer;
  readonly logging: Logging;
  /** The winston logger; `logger.child({ component })` for components. */
  readonly logger: winston.Logger;
  readonly errors: ErrorReporter;
  readonly state: LifecycleState;
  /** Declares startup complete (with `health.startup: 'manual'`). */
  markStarted(): void;
  /** Registers a hook that runs at shutdown, before telemetry is flushed. */
  onShutdown(hook: () => Promise<void> | void): void;
  /** Reports a telemetry failure: counted, reported through `onError`, never thrown. */
  reportError(source: TelemetrySource, error: unknown): void;
  /** SIGTERM/SIGINT handling for `server`: not ready, drain, run hooks, flush, close. */
  manageShutdown(server: Server, options?: ShutdownOptions): ShutdownHandle;
  /**
   * Readiness 503, runs hooks, flushes and releases everything. Idempotent. With
   * `timeoutMs`, finishes by then: a hook or flush still running is left behind and
   * reported, and spans it could not deliver are counted as dropped.
   */
  shutdown(options?: { readonly timeoutMs?: number }): Promise<void>;
}

/** Builds the core of an instance: config, pillars and lifecycle. */
export function createObservabilityCore(options?: ObservabilityOptions): ObservabilityCore {
  const config = resolveConfig(options);
  // Logging comes first so the error reporter can warn through it; it reports back lazily.
  const logging: Logging = createLogging(config.logging, config.serviceName, (e) => errors.report('logging', e));
  const errors = createErrorReporter({
    onError: config.onError,
    warn: (message, error) => logging.logger.warn(message, { error }),
  });
  const health = new HealthChecker(config.health.checks, { name: config.serviceName, version: config.serviceVersion }, errors);
  const metrics = config.metrics.enabled
    ? createMetrics(config.metrics, {
        errors,
        health,
        warn: (message, meta) => logging.logger.warn(message, meta),
        healthDeadlineMs: Math.min(config.health.probeDeadlineMs, config.metrics.collectorTimeoutMs / 2),
      })
    : undefined;
  const tracing = createTracing(config.tracing, config, errors, metrics);
  const liveness = new LivenessMonitor(config.health.maxEventLoopDelayMs);
  liveness.start();

  const state = { started: config.health.startup === 'auto', shuttingDown: false, closed: false };
  const hooks: Array<() => Promise<void> | void> = [];
  let closing: Promise<void> | undefined;

  const instance: ObservabilityCore = {
    config,
    health,
    liveness,
    metrics,
    tracing,
    tracer: tracing.tracer,
    logging,
    logger: logging.logger,
    errors,
    state,
    markStarted() {
      state.started = true;
    },
    onShutdown(hook) {
      hooks.push(hook);
    },
    reportError: (source, error) => errors.report(source, error),
    manageShutdown(server, shutdownOptions) {
      return manageShutdown(server, { beginShutdown: () => void (state.shuttingDown = true), shutdown: instance.shutdown }, shutdownOptions);
    },
    shutdown(shutdownOptions) {
      closing ??= (async () => {
        const left = countdown(shutdownOptions?.timeoutMs);
        const report = (e: unknown) => errors.report('shutdown', e);
        state.shuttingDown = true;
        for (const hook of hooks.splice(0).reverse()) {
          // A late hook is still called: it may release something even if it cannot be awaited.
          if (!(await withDeadline(hook, left(), report))) report(new Error('an onShutdown hook did not finish by the shutdown deadline'));
        }
        liveness.stop();
        await tracing.shutdown(left());
        await withDeadline(() => metrics?.shutdown(), left(), report);
        if (getGlobalObservability() === instance) setGlobalObservability(undefined);
        // Logs are local and the last word on what happened: they get a moment even past the deadline.
        await withDeadline(() => logging.shutdown(Math.min(5000, Math.max(LOG_FLUSH_FLOOR_MS, left()))), Infinity, report);
        state.closed = true;
      })();
      return closing;
    },
  };
  if (config.global) setGlobalObservability(instance);
  return instance;
}
