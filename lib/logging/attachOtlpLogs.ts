import type winston from 'winston';
import type { MetricDefinitions } from '../metrics/MetricDefinitions';
import type { ServiceIdentity } from '../tracing/createTracerProvider';
import { createLogLossListener } from './logLossListener';
import { createOtlpLogExport } from './createOtlpLogExport';
import type { LogExportStats } from './LogExportGuard';
import type { ResolvedLoggingOptions } from './loggingOptions';

/** The logging pillar's view of OTLP log export. */
export interface OtlpLogs {
  stats(): LogExportStats;
  shutdown(timeoutMs: number): Promise<void>;
}

/** What OTLP log export needs besides the options. */
export interface OtlpLogDeps {
  readonly service: string;
  readonly define?: MetricDefinitions;
  /** Service name, version and environment: the resource of the records (as of the spans). */
  readonly identity?: ServiceIdentity;
  /** Where export losses are reported (the instance's `exporter` source). */
  readonly reportExportError?: (error: unknown) => void;
}

const OFF: OtlpLogs = {
  stats: () => ({ exportedRecords: 0, droppedQueueFull: 0, droppedExportFailed: 0, exportFailures: 0, droppedShutdown: 0 }),
  shutdown: async () => undefined,
};

// The transport @opentelemetry/instrumentation-winston adds to every logger it sees configured.
const INSTRUMENTATION_TRANSPORT = 'OpenTelemetryTransportV3';

/**
 * With `logging.otlp` on, adds the OTLP transport to `logger`, next to stdout and the other
 * transports. OpenTelemetry's winston instrumentation (auto-instrumentations-node) adds a
 * transport of its own that sends each record to the global LoggerProvider: with both, every
 * record would reach the collector twice (opentelemetry-js-contrib#2283), so that one is removed.
 */
export function attachOtlpLogs(logger: winston.Logger, options: ResolvedLoggingOptions, deps: OtlpLogDeps): OtlpLogs {
  if (options.otlp === undefined) return OFF;
  for (const t of [...logger.transports]) {
    if (t.constructor?.name === INSTRUMENTATION_TRANSPORT) logger.remove(t);
  }
  const listener = createLogLossListener((e) => deps.reportExportError?.(e), options.otlp.reportIntervalMs, deps.define);
  const identity = deps.identity ?? { serviceName: deps.service, serviceVersion: '0.0.0', environment: 'development' };
  const pipeline = createOtlpLogExport(options.otlp, identity, listener);
  logger.add(pipeline.transport);
  return { stats: pipeline.stats, shutdown: pipeline.shutdown };
}
