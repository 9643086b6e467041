import winston from 'winston';
import { safeError } from '../safeError';
import { addCorrelation } from './correlation';
import { isoTimestamp } from './isoTimestamp';
import { prettyLine } from './prettyLine';
import type { Sanitizer } from './Sanitizer';

// winston's info keys (triple-beam's symbols, registered globally by name).
const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');
const SPLAT = Symbol.for('splat');

/** Set on an info once its correlation fields were read where the caller logged. */
export const kCorrelated = Symbol.for('express-observability.correlated');

/** What the log format needs to know. */
export interface LogFormatOptions {
  readonly service: string;
  /** `logger` of lines that name no `component` or `logger`. */
  readonly name: string;
  readonly sanitizer: Sanitizer;
  readonly pretty: boolean;
  readonly colors: boolean;
  /** Called when a line could not be formatted (a fallback line is written instead). */
  readonly onError: (error: unknown) => void;
}

// Set by the library: a caller's field of the same name is kept only when the library has no value.
const OWN = new Set(['timestamp', 'level', 'message', 'service', 'logger']);

/**
 * The one winston format of the library's loggers: builds a fresh record in a fixed
 * field order (timestamp, level, message, service, logger, trace_id, span_id,
 * trace_flags, request_id, then the caller's fields, sanitized and redacted) and
 * renders it once as a JSON line or a pretty line. It never throws: a line that cannot
 * be built becomes a minimal line that says so.
 */
export function createLogFormat(options: LogFormatOptions): winston.Logform.Format {
  const { service, name, sanitizer, pretty, colors, onError } = options;
  const splat = winston.format.splat();
  const render = pretty
    ? (r: Record<string, unknown>) => prettyLine(r, colors)
    : (r: Record<string, unknown>) => JSON.stringify(r);

  function build(info: winston.Logform.TransformableInfo): Record<string, unknown> {
    const src = info as Record<string | symbol, unknown>;
    if (src[kCorrelated] !== true) addCorrelation(src as Record<string, unknown>);
    // printf-style `logger.info('%d items', n)` as winston's splat format does it, only when asked for.
    if (typeof src.message === 'string' && src.message.includes('%') && Array.isArray(src[SPLAT]))
      splat.transform(info);
    let message = src.message;
    let exception: unknown;
    if (info instanceof Error) {
      exception = info;
      message = safeError(info).message;
    }
    if (typeof message !== 'string') {
      if (message instanceof Error) {
        exception = message;
        message = safeError(message).message;
      } else {
        message = message === undefined ? '' : safeString(sanitizer.value(message));
      }
    }
    const component = src.logger ?? src.component;
    const record: Record<string | symbol, unknown> = {
      timestamp: isoTimestamp(),
      level: (info as Record<symbol, unknown>)[LEVEL] ?? info.level,
      message: sanitizer.truncate(message as string),
      service,
      logger: typeof component === 'string' ? component : name,
    };
    if (exception !== undefined) record.exception = sanitizer.value(exception);
    sanitizer.copyFields(src, record, (key) => OWN.has(key) || Object.hasOwn(record, key));
    return record;
  }

  return winston.format((info) => {
    let record: Record<string | symbol, unknown>;
    try {
      record = build(info);
      record[MESSAGE] = render(record);
    } catch (e) {
      onError(e);
      record = {
        timestamp: isoTimestamp(),
        level: (info as Record<symbol, unknown>)[LEVEL] ?? 'error',
        message: 'log line could not be formatted',
        service,
      };
      record[MESSAGE] = JSON.stringify(record);
    }
    record[LEVEL] = (info as Record<symbol, unknown>)[LEVEL] ?? record.level;
    return record as winston.Logform.TransformableInfo;
  })();
}

function safeString(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
