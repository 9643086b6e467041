import type winston from 'winston';
import type Transport from 'winston-transport';
import { addCorrelation } from './correlation';
import { deliver } from './createAccessLog';
import { isoTimestamp } from './isoTimestamp';
import { prettyLine } from './prettyLine';
import type { LogLevels } from './LogLevels';
import type { Sanitizer } from './Sanitizer';

const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');

// Set by the library, as in createLogFormat: a caller's field of the same name is not copied.
const OWN = new Set(['timestamp', 'level', 'message', 'service', 'logger']);
// The fields of a prepared line, in the order the format would write them.
const PREPARED_KEYS = [
  'class',
  'function',
  'duration_ms',
  'trace_id',
  'span_id',
  'trace_flags',
  'request_id',
];
// Longest id the hand-written line holds uncut (a trace id); a smaller string limit would cut it.
const ID_LENGTH = 32;

/** What the writer needs to know about the logging pillar. */
export interface LineWriterSettings {
  readonly service: string;
  /** `logger` field of the lines. */
  readonly name: string;
  readonly sanitizer: Sanitizer;
  readonly pretty: boolean;
  readonly colors: boolean;
  /** `logging.caller`: lines then go through winston, whose guard captures the caller. */
  readonly caller: boolean;
  readonly onError: (error: unknown) => void;
  /** Levels changed at run time (these lines are the root logger's). */
  readonly levels?: LogLevels;
}

/** A line whose fields are fixed strings and an optional `duration_ms`, prepared once per call site. */
export interface PreparedLine {
  write(durationMs?: number): void;
}

/** Writes log lines of the library's own code (the decorators) without winston's pipeline. */
export interface LineWriter {
  /** Whether a line at `level` would reach some transport (the logger's and the transports' levels). */
  enabled(level: string): boolean;
  /** Writes what `logger.log(level, message, fields)` writes; takes ownership of `fields`. */
  write(level: string, message: string, fields: Record<string, unknown>): void;
  /** Prepares the line `logger.log(level, message, { ...fixed, duration_ms })` writes. */
  prepare(level: string, message: string, fixed: Readonly<Record<string, string>>): PreparedLine;
}

/**
 * Builds a writer for lines of `logger`. Like the access log, it skips winston's format
 * pipeline and logger stream: the record is built as the library's format builds it (same
 * fields, order, correlation ids and redaction) and handed to each of the logger's transports,
 * which still apply their own level, format and output. Prepared lines also render their JSON
 * by hand from pieces made once. Anything the direct path does not reproduce (caller capture,
 * `defaultMeta`, printf-style messages, a logger without transports) goes through winston.
 */
export function createLineWriter(logger: winston.Logger, s: LineWriterSettings): LineWriter {
  const { sanitizer, service, pretty, colors, onError } = s;
  const name = s.name;
  const handWritten =
    !pretty &&
    sanitizer.truncate('x'.repeat(ID_LENGTH)).length === ID_LENGTH &&
    !PREPARED_KEYS.some((k) => sanitizer.isSensitiveKey(k));
  const head = `,"service":${JSON.stringify(service)},"logger":${JSON.stringify(name)}`;

  const levels = s.levels;
  const enabled = (level: string): boolean =>
    logger.isLevelEnabled(level) && (levels === undefined || !levels.active || levels.allows(level, undefined));
  // Closed (the instance shut down: the logger was ended) or silent: nothing is written, as winston's guard does.
  const direct = (message: string): boolean | undefined => {
    if (!logger.writable || logger.silent) return undefined;
    return !s.caller && logger.defaultMeta == null && logger.transports.length > 0 && !message.includes('%');
  };
  const send = (record: Record<string | symbol, unknown>, level: string): void => {
    const transports = logger.transports;
    for (let i = 0; i < transports.length; i++) deliver(transports[i] as Transport, record, level);
  };
  const start = (level: string, message: string): Record<string | symbol, unknown> => ({
    timestamp: isoTimestamp(),
    level,
    message: sanitizer.truncate(message),
    service,
    logger: name,
  });

  function write(level: string, message: string, fields: Record<string, unknown>): void {
    const how = direct(message);
    if (how === undefined) return;
    if (!how) {
      logger.log(level, message, fields);
      return;
    }
    let record: Record<string | symbol, unknown>;
    try {
      addCorrelation(fields);
      record = start(level, message);
      sanitizer.copyFields(fields, record, (key) => OWN.has(key) || Object.hasOwn(record, key));
      record[MESSAGE] = pretty ? prettyLine(record, colors) : JSON.stringify(record);
      record[LEVEL] = level;
    } catch {
      // Through winston, whose format writes what it can (or a line saying it could not) and reports.
      logger.log(level, message, fields);
      return;
    }
    send(record, level);
  }

  return {
    enabled,
    write(level, message, fields) {
      try {
        write(level, message, fields);
      } catch (e) {
        onError(e);
      }
    },
    prepare(level, message, fixed) {
      const cut: Record<string, string> = {};
      for (const [k, v] of Object.entries(fixed)) cut[k] = sanitizer.truncate(v);
      const fixedJson = Object.entries(cut)
        .map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`)
        .join('');
      const opening = `","level":${JSON.stringify(level)},"message":${JSON.stringify(sanitizer.truncate(message))}${head}${fixedJson}`;
      const usable =
        handWritten && Object.keys(fixed).every((k) => PREPARED_KEYS.includes(k) && k !== 'duration_ms');
      return {
        write(durationMs) {
          try {
            if (
              !usable ||
              (durationMs !== undefined && !Number.isFinite(durationMs)) ||
              direct(message) !== true
            ) {
              const fields: Record<string, unknown> = { ...fixed };
              if (durationMs !== undefined) fields.duration_ms = durationMs;
              write(level, message, fields);
              return;
            }
            const record = start(level, message);
            let line = `{"timestamp":"${record.timestamp as string}${opening}`;
            for (const k in cut) record[k] = cut[k];
            if (durationMs !== undefined) {
              record.duration_ms = durationMs;
              line += `,"duration_ms":${durationMs}`;
            }
            addCorrelation(record as Record<string, unknown>);
            if (record.trace_id !== undefined)
              line += `,"trace_id":"${record.trace_id as string}","span_id":"${record.span_id as string}","trace_flags":"${record.trace_flags as string}"`;
            if (record.request_id !== undefined) {
              const id = sanitizer.truncate(record.request_id as string);
              record.request_id = id;
              line += `,"request_id":${JSON.stringify(id)}`;
            }
            record[MESSAGE] = line + '}';
            record[LEVEL] = level;
            send(record, level);
          } catch (e) {
            onError(e);
          }
        },
      };
    },
  };
}
