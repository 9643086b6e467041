import type winston from 'winston';
import type Transport from 'winston-transport';
import { describeThrow, safeError } from '../safeError';
import { captureCaller } from './callerInfo';
import { kCorrelated } from './createLogFormat';
import { addCorrelation } from './correlation';
import type { LogLevels } from './LogLevels';
import { setField } from './setField';

const LEVEL = Symbol.for('level');
const kGuarded = Symbol.for('express-observability.guardedTransport');

/** What {@link guardLogger} needs from the logging pillar. */
export interface GuardOptions {
  /** Add the caller's `code.*` fields to every line. */
  readonly caller: boolean;
  /** A failure while logging (at most once per transport for transport failures). */
  readonly onError: (error: unknown) => void;
  /** True once the logger is shut down: further lines are dropped. */
  readonly closed: () => boolean;
  /** Levels changed at run time: each line is held to the level of the logger that wrote it. */
  readonly levels?: LogLevels;
}

type Info = Record<string | symbol, unknown>;

/**
 * Makes a winston logger safe to call from anywhere: no call throws (bad arguments,
 * throwing getters, failing formats or transports), transport `error` events are handled
 * and reported once per transport, disabled levels cost no formatting, and the request
 * and trace ids are read synchronously where the caller logs. `logger.error(err)` and
 * `logger.error('msg', err)` keep the error whole under `exception` instead of winston's
 * merge of its fields into the line.
 */
export function guardLogger(logger: winston.Logger, options: GuardOptions): void {
  const reported = new WeakSet<object>();
  const reportOnce = (source: object | undefined, error: unknown): void => {
    const key = source ?? logger;
    if (reported.has(key)) return;
    reported.add(key);
    options.onError(error);
  };
  logger.on('error', (error: unknown, transport?: Transport) => reportOnce(transport, error));
  for (const t of logger.transports) guardTransport(t, reportOnce);
  const add = logger.add;
  logger.add = function guardedAdd(this: winston.Logger, transport: Transport) {
    guardTransport(transport, reportOnce);
    return add.call(this, transport);
  };

  const write = logger.write;
  const { caller, closed, levels } = options;
  logger.write = function guardedWrite(this: winston.Logger, info: Info): boolean {
    if (closed()) return true;
    try {
      const level = (info[LEVEL] ?? info.level) as string;
      if (!logger.isLevelEnabled(level)) return true;
      if (levels !== undefined && levels.active && !levels.allows(level, loggerName(info))) return true;
      addCorrelation(info as Record<string, unknown>);
      info[kCorrelated] = true;
      if (caller) Object.assign(info, captureCaller());
      return (write as (chunk: unknown) => boolean).call(logger, info);
    } catch (e) {
      options.onError(e);
      return true;
    }
  } as typeof logger.write;

  const log = logger.log as (this: winston.Logger, ...a: unknown[]) => winston.Logger;
  logger.log = function guardedLog(this: winston.Logger, level: unknown, msg?: unknown, ...splat: unknown[]) {
    try {
      if (splat[0] instanceof Error && splat.length === 1)
        return log.call(this, level as string, msg as string, { exception: splat[0] });
      if (msg instanceof Error && splat.length === 0)
        return log.call(this, level as string, safeError(msg).message, { exception: msg });
      // winston dispatches on arguments.length, which rest parameters would not preserve.
      // eslint-disable-next-line prefer-rest-params
      return log.apply(this, arguments as unknown as unknown[]);
    } catch {
      return fallback(this, level, msg, splat[0], options.onError);
    }
  } as typeof logger.log;

  for (const level of Object.keys(logger.levels)) {
    const method = (logger as unknown as Record<string, (...a: unknown[]) => winston.Logger>)[level];
    (logger as unknown as Record<string, unknown>)[level] = function guardedLevel(
      this: winston.Logger,
      ...args: unknown[]
    ) {
      try {
        if (args.length === 1 && args[0] instanceof Error)
          return this.log(level, safeError(args[0]).message, { exception: args[0] });
        return method.apply(this, args);
      } catch {
        return fallback(this, level, args[0], args[1], options.onError);
      }
    };
  }
}

/** The named logger a line comes from (`logger.child({ component })`), as the format names it. */
function loggerName(info: Info): string | undefined {
  const name = info.logger ?? info.component;
  return typeof name === 'string' ? name : undefined;
}

/**
 * A transport whose `log` throws is reported and skipped for that line instead of wedging
 * its stream. winston's Stream transport leaves errors of the stream it writes to
 * unhandled (an EPIPE would crash the process): they are reported as the transport's.
 */
function guardTransport(t: Transport, report: (t: object, e: unknown) => void): void {
  const target = t as Transport & { [kGuarded]?: true; _stream?: { on?: unknown; [kGuarded]?: true } };
  const inner = target._stream;
  if (inner && typeof inner.on === 'function' && !inner[kGuarded]) {
    inner[kGuarded] = true;
    (inner as NodeJS.EventEmitter).on('error', (e: unknown) => report(t, e));
  }
  const log = target.log;
  if (target[kGuarded] || typeof log !== 'function' || log.length > 2) return;
  target[kGuarded] = true;
  target.log = function guardedTransportLog(this: Transport, info: unknown, callback: () => void) {
    try {
      return log.call(this, info, callback);
    } catch (e) {
      report(this, e);
      if (typeof callback === 'function') callback();
    }
  };
}

/** Writes the line winston could not build (a frozen object, a throwing getter) from a safe copy. */
function fallback(
  self: winston.Logger,
  level: unknown,
  msg: unknown,
  meta: unknown,
  onError: (e: unknown) => void,
) {
  try {
    const info: Info = { level, [LEVEL]: level, message: typeof msg === 'string' ? msg : '' };
    if (msg !== null && typeof msg === 'object') copyFields(msg, info);
    if (meta !== null && typeof meta === 'object') copyFields(meta, info);
    if (typeof info.message !== 'string') info.message = '';
    self.write(info);
  } catch (e) {
    onError(e);
  }
  return self;
}

function copyFields(from: object, to: Info): void {
  let keys: string[];
  try {
    keys = Object.keys(from);
  } catch (e) {
    to.fields = `[Unserializable: ${describeThrow(e)}]`;
    return;
  }
  for (const key of keys) {
    if (key === 'level') continue;
    try {
      setField(to, key, (from as Info)[key]);
    } catch (e) {
      setField(to, key, `[Threw: ${describeThrow(e)}]`);
    }
  }
}
