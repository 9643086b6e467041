import winston from 'winston';
import type { FinishedRequest } from '../requestLifecycle';
import { createAccessLog } from './createAccessLog';
import { createLogFormat } from './createLogFormat';
import { guardLogger } from './guardLogger';
import { LineTransport } from './LineTransport';
import type { ResolvedLoggingOptions } from './loggingOptions';
import { Sanitizer } from './Sanitizer';

/** The logging pillar of an instance. */
export interface Logging {
  /** The root logger; `logger.child({ component })` names the `logger` field of its lines. */
  readonly logger: winston.Logger;
  /** The sanitizer every line goes through (redaction, limits), for reuse by other pillars. */
  readonly sanitizer: Sanitizer;
  /** Writes the access-log line of a finished or aborted request. */
  accessLog(request: FinishedRequest): void;
  /** Ends the logger and waits (at most `timeoutMs`) for transports to flush. Idempotent. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/**
 * Builds the logging pillar: a winston logger whose lines carry the request and trace
 * ids, are redacted and bounded, and never throw, plus the access log.
 * `reportError` receives logging failures (a failing transport once).
 */
export function createLogging(
  options: ResolvedLoggingOptions,
  service: string,
  reportError: (error: unknown) => void = () => undefined,
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
    transports: options.transports ? [...options.transports] : [new LineTransport()],
    exitOnError: false,
  });
  guardLogger(logger, { caller: options.caller, onError, closed: isClosed });
  const accessLog = options.accessLog.enabled
    ? createAccessLog(logger, {
        ...options.accessLog,
        service,
        sanitizer,
        pretty,
        colors: options.colors,
        closed: isClosed,
        onError,
      })
    : () => undefined;

  let closing: Promise<void> | undefined;
  return {
    logger,
    sanitizer,
    accessLog,
    shutdown(timeoutMs = 5000) {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        const timer = setTimeout(resolve, timeoutMs);
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
      return closing;
    },
  };
}
