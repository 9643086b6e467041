import { performance } from 'node:perf_hooks';
import type winston from 'winston';
import { assertOption } from '../lib/configError';
import type { ObservabilityCore } from '../lib/createObservability';
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
  readonly logger: winston.Logger;
  readonly className: string;
  readonly functionName: string;
  readonly called: string;
  readonly succeeded: string;
  readonly failed: string;
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
      return {
        logger: obs.logger,
        className: site.className,
        functionName: site.methodName,
        called: `${message} called`,
        succeeded: `${message} succeeded`,
        failed: `${message} failed`,
      };
    },
    enter: (h, _self, args) => {
      if (entryLevel !== false && h.logger.isLevelEnabled(entryLevel)) {
        h.logger.log(
          entryLevel,
          h.called,
          logArgs ? { class: h.className, function: h.functionName, args: boundValue(args, bounds) } : { class: h.className, function: h.functionName },
        );
      }
      return performance.now();
    },
    exit: (h, start, failed, valueOrError) => {
      const level = failed ? errorLevel : successLevel;
      if (level === false || !h.logger.isLevelEnabled(level)) return;
      const fields: Record<string, unknown> = {
        class: h.className,
        function: h.functionName,
        duration_ms: Math.round((performance.now() - start) * 1000) / 1000,
      };
      if (failed) fields.error = errorFields(valueOrError);
      else if (logResult) fields.result = boundValue(valueOrError, bounds);
      h.logger.log(level, failed ? h.failed : h.succeeded, fields);
    },
  };
  return createDecorator(instrumentation, options.instance);
}
