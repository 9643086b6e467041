import type { Counter } from 'prom-client';
import winston from 'winston';
import type { ResolvedConfig } from '../config';
import type { MetricDefinitions } from '../metrics/MetricDefinitions';
import type { Pillar, PillarDeps } from '../pillar';
import type { FinishedRequest } from '../requestLifecycle';
import { createAccessLog } from './createAccessLog';
import { createLogFormat } from './createLogFormat';
import { guardLogger } from './guardLogger';
import { LineTransport } from './LineTransport';
import { createLogLevels } from './createLogLevels';
import { attachOtlpLogs, type OtlpLogDeps, type OtlpLogs } from './attachOtlpLogs';
import type { LogExportStats } from './LogExportGuard';
import type { LogLevels } from './LogLevels';
import type { ResolvedLoggingOptions } from './loggingOptions';
import { Sanitizer } from './Sanitizer';

/** The logging pillar of an instance; it writes each finished request's access line. */
export interface Logging extends Pillar {
  /** The root logger; `logger.child({ component })` names the `logger` field of its lines. */
  readonly logger: winston.Logger;
  /** The sanitizer every line goes through (redaction, limits), for reuse by other pillars. */
  readonly sanitizer: Sanitizer;
  /** Levels of the root and the named child loggers, changed at run time for a bounded time. */
  readonly levels: LogLevels;
  /** Exported, dropped and failed counts of the OTLP log export (all 0 when it is off). */
  stats(): LogExportStats;
  /** Writes the access-log line of a finished or aborted request. */
  accessLog(request: FinishedRequest): void;
  /** The access log as a request-finished consumer; undefined when the access log is off. */
  readonly requestFinished: ((request: FinishedRequest) => void) | undefined;
  /**
   * Ends the logger and waits for transports to flush: at most `timeoutMs`, capped by
   * `logging.flushTimeoutMs` and never below `logging.flushFloorMs` (the logs are the last
   * word on what happened, so they get a moment even past the shutdown deadline). Idempotent.
   */
  shutdown(timeoutMs?: number): Promise<void>;
}

/**
 * Builds the logging pillar: a winston logger whose lines carry the request and trace
 * ids, are redacted and bounded, and never throw, plus the access log. Logging failures
 * (a failing transport once) go to the instance's error reporter.
 */
export function createLogging(config: ResolvedConfig, deps: PillarDeps): Logging {
  return buildLogging(config.logging, config.serviceName, (error) => deps.errors.report('logging', error), deps.metrics?.define, {
    identity: config,
    reportExportError: (error) => deps.errors.report('exporter', error),
  });
}

/** The logging pillar from its own options (also what tests of the logger alone build). */
export function buildLogging(
  options: ResolvedLoggingOptions,
  service: string,
  reportError: (error: unknown) => void = () => undefined,
  define?: MetricDefinitions,
  otlpDeps?: Omit<OtlpLogDeps, 'service' | 'define'>,
): Logging {
  const onError = (error: unknown): void => {
    try {
      reportError(error);
    } catch {
      // The reporter is the last channel there is.
    }
  };
  let closed = false;
  const isClosed = (): boolean => closed;
  const sanitizer = new Sanitizer(options);
  const pretty = options.format === 'pretty';
  const logger = winston.createLogger({
    level: options.level,
    format: createLogFormat({
      service,
      name: options.name ?? service,
      sanitizer,
      pretty,
      colors: options.colors,
      onError,
    }),
    transports: options.transports ? [...options.transports] : options.stdout ? [new LineTransport()] : [],
    exitOnError: false,
  });
  const otlp: OtlpLogs = attachOtlpLogs(logger, options, { service, define, reportExportError: onError, ...otlpDeps });
  const levels = createLogLevels(logger, options.accessLog.enabled);
  guardLogger(logger, { caller: options.caller, onError, closed: isClosed, levels });
  const accessLog = options.accessLog.enabled
    ? createAccessLog(logger, {
        ...options.accessLog,
        service,
        sanitizer,
        pretty,
        colors: options.colors,
        closed: isClosed,
        onError,
        levels,
      })
    : () => undefined;

  if (define) defineDroppedLines(define, logger);

  let closing: Promise<void> | undefined;
  return {
    logger,
    sanitizer,
    levels,
    stats: otlp.stats,
    accessLog,
    requestFinished: options.accessLog.enabled ? accessLog : undefined,
    shutdown(timeoutMs = options.flushTimeoutMs) {
      const waitMs = Math.min(options.flushTimeoutMs, Math.max(options.flushFloorMs, timeoutMs));
      const started = Date.now();
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        levels.close();
        const timer = setTimeout(resolve, waitMs);
        timer.unref();
        logger.once('finish', () => {
          clearTimeout(timer);
          resolve();
        });
        try {
          logger.end();
        } catch (e) {
          onError(e);
          resolve();
        }
      });
      // The records the transports took go out by OTLP in the time that is left.
      return closing.then(() => otlp.shutdown(waitMs - (Date.now() - started)));
    },
  };
}

/**
 * `express_observability_log_lines_dropped_total`: the lines the logger's LineTransports
 * dropped (destination too slow, failing, or closed), read at scrape time.
 */
function defineDroppedLines(define: MetricDefinitions, logger: winston.Logger): void {
  define.counter({
    name: 'express_observability_log_lines_dropped_total',
    help: 'Log lines dropped instead of waiting for the log output (a slow or stuck reader past maxPendingLength, a failed write, or logged after close).',
    collect(this: Counter) {
      // The transports own the counts; mirror them at scrape time, not on every drop.
      let dropped = 0;
      for (const t of logger.transports) if (t instanceof LineTransport) dropped += t.dropped;
      this.reset();
      this.inc(dropped);
    },
  });
}
