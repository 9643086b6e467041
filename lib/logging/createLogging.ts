import winston from 'winston';
import type { FinishedRequest } from '../requestLifecycle';
import type { ResolvedLoggingOptions } from './loggingOptions';

/** The logging pillar of an instance. */
export interface Logging {
  readonly logger: winston.Logger;
  /** Writes the access-log line of a finished or aborted request. */
  accessLog(request: FinishedRequest): void;
  shutdown(): Promise<void>;
}

/** Builds the logging pillar. */
export function createLogging(options: ResolvedLoggingOptions, service: string): Logging {
  const logger = winston.createLogger({
    level: options.level,
    defaultMeta: { service },
    format: winston.format.combine(winston.format.errors({ stack: true }), winston.format.timestamp(), winston.format.json()),
    transports: options.transports ? [...options.transports] : [new winston.transports.Console()],
  });
  return {
    logger,
    accessLog(r) {
      logger.info('request completed', { method: r.method, route: r.route, status: r.statusCode, request_id: r.requestId });
    },
    async shutdown() {
      logger.close();
    },
  };
}
