import { performance } from 'node:perf_hooks';
import { assertOption } from '../lib/configError';
import type { ObservabilityCore } from '../lib/createObservabilityCore';
import { createLineWriter, type LineWriter, type PreparedLine } from '../lib/logging/createLineWriter';
import type { LogLevel } from '../lib/logging/loggingOptions';
import { boundValue, DEFAULT_VALUE_BOUNDS, type ValueBounds } from './boundValue';
import { createDecorator, type MethodOrClassDecorator } from './createDecorator';
import { errorFields } from './errorFields';
import type { Instrumentation } from './wrapMethod';

const LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;

/** Options of {@link Logged}. */
export interface LoggedOptions {
  /** Level of the line written on entry, or `false` for none. Default: `debug`. */
  readonly entryLevel?: LogLevel | false;
  /** Level of the line written on success (with `duration_ms`), or `false` for none. Default: `info`. */
  readonly successLevel?: LogLevel | false;
  /** Level of the line written when the method throws or rejects. Default: `error`. */
  readonly errorLevel?: LogLevel;
  /** Log the arguments (size-bounded, secrets redacted) on the entry line. Default: false. */
  readonly logArgs?: boolean;
  /** Log the result (size-bounded, secrets redacted) on the success line. Default: false. */
  readonly logResult?: boolean;
  /** Size limits for logged arguments and results. Default: {@link DEFAULT_VALUE_BOUNDS}. */
  readonly bounds?: Partial<ValueBounds>;
  /** Start of each message. Default: `ClassName.methodName`. */
  readonly message?: string;
  /** The instance to use instead of the global one (read at call time). Default: the global instance. */
  readonly instance?: ObservabilityCore;
}

interface LoggedHandles {
  readonly writer: LineWriter;
  readonly className: string;
  readonly functionName: string;
  readonly called: string;
  readonly succeeded: string;
  readonly failed: string;
  /** The entry and success lines without arguments or result, prepared once. */
  readonly entry: PreparedLine | undefined;
  readonly success: PreparedLine | undefined;
}

/**
 * Writes a line when a method (or every method of a class) is called, when it succeeds (with
 * `duration_ms`) and when it fails (with the error's type, message, code and stack). Lines carry
 * `class` and `function`; the logging pillar adds trace and request ids. Arguments and results are
 * logged only when asked for, copied within size bounds.
 */
export function Logged(options: LoggedOptions = {}): MethodOrClassDecorator {
  const entryLevel = options.entryLevel === false ? false : assertOption.oneOf('@Logged({ entryLevel })', options.entryLevel ?? 'debug', LEVELS);
  const successLevel = options.successLevel === false ? false : assertOption.oneOf('@Logged({ successLevel })', options.successLevel ?? 'info', LEVELS);
  const errorLevel = assertOption.oneOf('@Logged({ errorLevel })', options.errorLevel ?? 'error', LEVELS);
  if (options.message !== undefined) assertOption.nonEmptyString('@Logged({ message })', options.message);
  const bounds: ValueBounds = { ...DEFAULT_VALUE_BOUNDS, ...options.bounds };
  const logArgs = options.logArgs === true;
  const logResult = options.logResult === true;

  const instrumentation: Instrumentation<LoggedHandles, number> = {
    kind: 'Logged',
    prepare: (obs, site) => {
      const message = options.message ?? `${site.className}.${site.methodName}`;
      const writer = lineWriter(obs);
      const ids = { class: site.className, function: site.methodName };
      return {
        writer,
        className: site.className,
        functionName: site.methodName,
        called: `${message} called`,
        succeeded: `${message} succeeded`,
        failed: `${message} failed`,
        entry: entryLevel !== false && !logArgs ? writer.prepare(entryLevel, `${message} called`, ids) : undefined,
        success: successLevel !== false && !logResult ? writer.prepare(successLevel, `${message} succeeded`, ids) : undefined,
      };
    },
    enter: (h, _self, args) => {
      if (entryLevel !== false && h.writer.enabled(entryLevel)) {
        if (h.entry !== undefined) h.entry.write();
        else h.writer.write(entryLevel, h.called, { class: h.className, function: h.functionName, args: boundValue(args, bounds) });
      }
      return performance.now();
    },
    exit: (h, start, failed, valueOrError) => {
      const level = failed ? errorLevel : successLevel;
      if (level === false || !h.writer.enabled(level)) return;
      const durationMs = Math.round((performance.now() - start) * 1000) / 1000;
      if (!failed && h.success !== undefined) {
        h.success.write(durationMs);
        return;
      }
      const fields: Record<string, unknown> = { class: h.className, function: h.functionName, duration_ms: durationMs };
      if (failed) fields.error = errorFields(valueOrError);
      else fields.result = boundValue(valueOrError, bounds);
      h.writer.write(level, failed ? h.failed : h.succeeded, fields);
    },
  };
  return createDecorator(instrumentation, options.instance);
}

// One writer per instance, shared by its call sites.
const writers = new WeakMap<ObservabilityCore, LineWriter>();

function lineWriter(obs: ObservabilityCore): LineWriter {
  let writer = writers.get(obs);
  if (writer === undefined) {
    const { config } = obs;
    writer = createLineWriter(obs.logger, {
      service: config.serviceName,
      name: config.logging.name ?? config.serviceName,
      sanitizer: obs.logging.sanitizer,
      pretty: config.logging.format === 'pretty',
      colors: config.logging.colors,
      caller: config.logging.caller,
      onError: (e) => obs.reportError('logging', e),
      levels: obs.logging.levels,
    });
    writers.set(obs, writer);
  }
  return writer;
}
