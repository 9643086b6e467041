import type { Server } from 'node:http';
import type { Tracer } from '@opentelemetry/api';
import type winston from 'winston';
import { resolveConfig, type ObservabilityOptions, type ResolvedConfig } from './config';
import { createConsole, type ConsoleData } from './console/createConsole';
import { createErrorReporter, type ErrorReporter, type TelemetrySource } from './errorReporter';
import { setGlobalObservability, getGlobalObservability } from './globalObservability';
import { HealthChecker } from './health/HealthChecker';
import { LivenessMonitor } from './health/livenessMonitor';
import { createLogging, type Logging } from './logging/createLogging';
import { createMetrics, type Metrics } from './metrics/createMetrics';
import type { Pillar, PillarDeps, RequestFinishedConsumer } from './pillar';
import { manageShutdown, type ShutdownHandle, type ShutdownOptions } from './shutdown/manageShutdown';
import { countdown, withDeadline } from './shutdown/withDeadline';
import { createTracing, type Tracing } from './tracing/createTracing';

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
  /** The console's data (RED series, log and error rings) when the console is enabled. */
  readonly console: ConsoleData | undefined;
  readonly errors: ErrorReporter;
  readonly state: LifecycleState;
  /** The pillars' request-finished consumers, in the core's declared order; the request middleware calls each once per request. */
  readonly requestConsumers: readonly RequestFinishedConsumer[];
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
  // Warnings go through the logger, built last of the pillars; until then there is none.
  const out: { logger?: winston.Logger } = {};
  const errors = createErrorReporter({
    onError: config.onError,
    intervalMs: config.errorReportIntervalMs,
    warn: (message, error) => out.logger?.warn(message, { error }),
  });
  const health = new HealthChecker(config.health.checks, { name: config.serviceName, version: config.serviceVersion }, errors);
  // The pillars in their declared order, each built from the config and the deps of the ones before it.
  const base = { errors, health, warn: (message: string, meta?: Record<string, unknown>) => out.logger?.warn(message, meta) };
  const metrics = config.metrics.enabled ? createMetrics(config, { ...base, metrics: undefined }) : undefined;
  const deps: PillarDeps = { ...base, metrics };
  const tracing = createTracing(config, deps);
  const logging = createLogging(config, deps);
  out.logger = logging.logger;
  const consoleData = createConsole(config, deps, logging);
  /** Request-finished consumers, in order: the series, then the span, then the access line (then the console's series). */
  const pillars: readonly Pillar[] = [...(metrics ? [metrics] : []), tracing, logging, ...(consoleData ? [consoleData] : [])];
  const requestConsumers = pillars.flatMap((p) => (p.requestFinished ? [p.requestFinished] : []));
  /** Shutdown order: spans flushed first, then metrics, and the logs last, to record what happened. */
  const shutdownOrder: readonly Pillar[] = [tracing, ...(metrics ? [metrics] : []), ...(consoleData ? [consoleData] : []), logging];
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
    console: consoleData,
    errors,
    state,
    requestConsumers,
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
        if (getGlobalObservability() === instance) setGlobalObservability(undefined);
        // Each pillar bounds its own shutdown by the time left (the logs keep a floor of their own).
        for (const pillar of shutdownOrder) await withDeadline(() => pillar.shutdown(left()), Infinity, report);
        state.closed = true;
      })();
      return closing;
    },
  };
  if (config.global) setGlobalObservability(instance);
  return instance;
}
