import type { ResolvedConfig } from '../config';
import { requestErrorType } from '../errorType';
import type { Logging } from '../logging/createLogging';
import type { Pillar, PillarDeps } from '../pillar';
import type { FinishedRequest } from '../requestLifecycle';
import { safeError } from '../safeError';
import { BoundedRing } from './BoundedRing';
import type { ResolvedConsoleOptions } from './consoleOptions';
import { LogRing, type LogRecord } from './LogRing';
import { RouteSeriesStore } from './RouteSeriesStore';

/** A failed request or a failed method call, as the console's errors view lists it. */
export interface ConsoleError {
  readonly time: string;
  /** `request`: a 5xx or aborted request; `method`: an error line of a decorated method or the app's logger. */
  readonly kind: 'request' | 'method';
  /** `error.type`, as on the span, the metric and the log line. */
  readonly type: string;
  readonly message: string;
  readonly method?: string;
  readonly route?: string;
  readonly status?: number;
  /** `Class.method` of a method error. */
  readonly function?: string;
  readonly traceId?: string;
  readonly requestId?: string;
}

/** Memory the console's rings hold now, in bytes (series, logs, errors) and spans held. */
export interface ConsoleMemory {
  readonly seriesBytes: number;
  readonly logRecords: number;
  readonly logBytes: number;
  readonly errorRecords: number;
  readonly errorBytes: number;
}

/** The console pillar: the rings behind the page, fed by each finished request and each log record. */
export interface ConsoleData extends Pillar {
  readonly options: ResolvedConsoleOptions;
  readonly series: RouteSeriesStore;
  readonly logs: LogRing;
  errorsNewest(limit: number): ConsoleError[];
  memory(): ConsoleMemory;
}

/**
 * Builds the console pillar when the console is enabled: a RED series per route fed by the
 * request-finished consumer (O(1) per request), a log-record ring added to the logging
 * pillar's logger (records as written, redacted), and an errors ring. The span ring is the
 * tracing pillar's own (`tracing.recentSpans`).
 */
export function createConsole(
  config: ResolvedConfig,
  deps: PillarDeps,
  logging: Logging,
): ConsoleData | undefined {
  const options = config.console;
  if (!options.enabled) return undefined;
  const { sanitizer, logger } = logging;
  const series = new RouteSeriesStore(options.maxRoutes);
  const errors = new BoundedRing<ConsoleError>(
    options.errorRecords,
    options.errorRecords * 2048,
    (e) => 160 + e.message.length + (e.route?.length ?? 0),
  );
  const logs = new LogRing(options.logRecords, options.logBytes, () => {
    let most: string | undefined;
    for (const t of logger.transports) {
      if (t === logs) continue;
      const level = t.level ?? logger.level;
      if (most === undefined || (logger.levels[level] ?? -1) > (logger.levels[most] ?? -1)) most = level;
    }
    return most ?? logger.level;
  });
  logs.onRecord = (record) => {
    const e = methodError(record, sanitizer.truncate.bind(sanitizer));
    if (e) errors.push(e);
  };
  logger.add(logs);
  return {
    options,
    series,
    logs,
    errorsNewest: (limit) => errors.newest(limit),
    memory: () => ({
      seriesBytes: series.bytes,
      logRecords: logs.held.records,
      logBytes: logs.held.bytes,
      errorRecords: errors.length,
      errorBytes: errors.bytes,
    }),
    requestFinished(r: FinishedRequest) {
      try {
        const now = Date.now();
        const failed = r.statusCode >= 500 || r.aborted;
        const entry = series.record(now, r.method, r.route, r.durationSeconds * 1000, failed);
        if (!failed) return;
        const type = requestErrorType(r) ?? String(r.statusCode);
        const time = new Date(now).toISOString();
        entry.lastError = { time, status: r.statusCode, type, traceId: r.traceId };
        const message =
          r.error === undefined || r.error === null
            ? r.aborted
              ? 'request aborted'
              : `HTTP ${r.statusCode}`
            : sanitizer.truncate(safeError(r.error).message);
        errors.push({
          time,
          kind: 'request',
          type,
          message,
          method: r.method,
          route: r.route,
          status: r.statusCode,
          traceId: r.traceId,
          requestId: r.requestId,
        });
      } catch (e) {
        deps.errors.report('middleware', e);
      }
    },
    async shutdown() {
      logger.remove(logs);
    },
  };
}

/** An error line of a decorated method (`@Logged`'s `error` field) or of the app (`exception`). */
function methodError(record: LogRecord, truncate: (s: string) => string): ConsoleError | undefined {
  if (record.level !== 'error' || record.logger === 'access') return undefined;
  const err = (record.error ?? record.exception) as
    { type?: unknown; message?: unknown; name?: unknown } | undefined;
  if (typeof err !== 'object' || err === null) return undefined;
  const type = typeof err.type === 'string' ? err.type : typeof err.name === 'string' ? err.name : 'Error';
  const message =
    typeof err.message === 'string' ? err.message : typeof record.message === 'string' ? record.message : '';
  const fn =
    typeof record.function === 'string'
      ? typeof record.class === 'string'
        ? `${record.class}.${record.function}`
        : record.function
      : undefined;
  return {
    time: typeof record.timestamp === 'string' ? record.timestamp : new Date().toISOString(),
    kind: 'method',
    type,
    message: truncate(message),
    ...(fn ? { function: fn } : {}),
    ...(typeof record.trace_id === 'string' ? { traceId: record.trace_id } : {}),
    ...(typeof record.request_id === 'string' ? { requestId: record.request_id } : {}),
  };
}
