import type Transport from 'winston-transport';
import { assertOption, ObservabilityConfigError } from '../configError';
import { resolveOtlpLogOptions, type OtlpLogOptions, type ResolvedOtlpLogOptions } from './otlpLogOptions';
import { DEFAULT_REDACT_KEYS, type RedactKey } from './redactKeys';

const LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
/** A winston npm level. */
export type LogLevel = (typeof LEVELS)[number];

/** Options of the access log (one line per finished or aborted request). */
export interface AccessLogOptions {
  /** Write access lines at all. Default: true. */
  readonly enabled?: boolean;
  /** Requests slower than this are logged at least at `warn` with message `slow request`. Default: 2000. */
  readonly slowThresholdMs?: number;
  /**
   * Paths never logged: exact strings or regular expressions matched against the path without
   * query string. The library's own health and metrics routes are always skipped. Default: none.
   */
  readonly excludePaths?: readonly (string | RegExp)[];
}

/** Logging options. */
export interface LoggingOptions {
  /** Minimum level. Default: `LOG_LEVEL`, else `info`. */
  readonly level?: LogLevel;
  /** `json` or `pretty`. Default: `LOG_FORMAT`, else `pretty` in development and `json` elsewhere. */
  readonly format?: 'json' | 'pretty';
  /**
   * Where lines go. Default: one {@link LineTransport} to stdout, which writes the lines of
   * each event-loop turn with one system call.
   */
  readonly transports?: readonly Transport[];
  /** `logger` field of lines written by the root logger. Default: the service name. */
  readonly name?: string;
  /**
   * Field names whose values are replaced by {@link LoggingOptions.redactMarker} at any depth.
   * A string matches any key containing it once both are lower-cased and stripped of
   * non-alphanumerics (`apikey` matches `x-api-key` and `apiKey`); a RegExp is tested on the raw key.
   * Default: {@link DEFAULT_REDACT_KEYS} (authorization, cookie, password, secret, token, api key, ...).
   */
  readonly redactKeys?: readonly RedactKey[];
  /** What redacted values become. Default: `[REDACTED]`. */
  readonly redactMarker?: string;
  /** Longest string field (message, stack traces included); longer ones are cut and marked. Default: 8192. */
  readonly maxStringLength?: number;
  /** Deepest nesting written; deeper objects become `[Object]`. Default: 8. */
  readonly maxDepth?: number;
  /** Add `code.function.name`, `code.file.path`, `code.line.number` of the caller (a stack capture per line). Default: false. */
  readonly caller?: boolean;
  /** Colour pretty lines. Default: true unless `NO_COLOR` is set. */
  readonly colors?: boolean;
  /** Access-log settings, or `false` for no access log. */
  readonly accessLog?: AccessLogOptions | false;
  /** Longest wait for the transports to flush at shutdown. Default: 5000 ms. */
  readonly flushTimeoutMs?: number;
  /** Shortest wait for the flush, even when the shutdown deadline has passed. Default: 250 ms. */
  readonly flushFloorMs?: number;
  /**
   * Path of the loggers route (`GET` lists the levels, `POST {path}/{name}` sets one for a
   * while, `DELETE {path}/{name}` reverts it), guarded like the health details; or false.
   * Default: `/observability/loggers`.
   */
  readonly levelsPath?: string | false;
  /**
   * Send every record (the access log and the decorators' lines too) by OTLP/HTTP as well, or
   * `false`. Default: on when `OTEL_LOGS_EXPORTER` lists `otlp`; `{}` turns it on with the
   * OTel environment variables' endpoint, headers and timeout.
   */
  readonly otlp?: OtlpLogOptions | false;
  /** Write lines to stdout (the default `LineTransport`) when `transports` is not given. Default: true. */
  readonly stdout?: boolean;
}

/** Logging options after defaults and validation. */
export interface ResolvedLoggingOptions {
  readonly level: LogLevel;
  readonly format: 'json' | 'pretty';
  readonly transports: readonly Transport[] | undefined;
  readonly name: string | undefined;
  readonly redactKeys: readonly RedactKey[];
  readonly redactMarker: string;
  readonly maxStringLength: number;
  readonly maxDepth: number;
  readonly caller: boolean;
  readonly colors: boolean;
  readonly accessLog: {
    readonly enabled: boolean;
    readonly slowThresholdMs: number;
    readonly excludePaths: readonly (string | RegExp)[];
  };
  readonly flushTimeoutMs: number;
  readonly flushFloorMs: number;
  /** Where the loggers route is served, or undefined when it is off. */
  readonly levelsPath: string | undefined;
  /** OTLP log export, or undefined when off. */
  readonly otlp: ResolvedOtlpLogOptions | undefined;
  readonly stdout: boolean;
}

/** Resolves logging options; throws on a bad value. */
export function resolveLoggingOptions(
  input: LoggingOptions | undefined,
  env: NodeJS.ProcessEnv,
  environment: string,
): ResolvedLoggingOptions {
  const o = input ?? {};
  const access = o.accessLog === false ? { enabled: false } : (o.accessLog ?? {});
  if (o.redactKeys !== undefined && !Array.isArray(o.redactKeys)) {
    throw new ObservabilityConfigError('logging.redactKeys', o.redactKeys, 'an array of strings or RegExps');
  }
  for (const k of o.redactKeys ?? []) {
    if (!(k instanceof RegExp) && (typeof k !== 'string' || k.replace(/[^a-z0-9]/gi, '') === '')) {
      throw new ObservabilityConfigError(
        'logging.redactKeys',
        k,
        'strings with at least one letter or digit, or RegExps',
      );
    }
  }
  const excludePaths = access.excludePaths ?? [];
  for (const p of excludePaths) {
    if (!(p instanceof RegExp) && typeof p !== 'string') {
      throw new ObservabilityConfigError('logging.accessLog.excludePaths', p, 'paths as strings or RegExps');
    }
  }
  return {
    level: assertOption.oneOf(
      o.level === undefined ? 'LOG_LEVEL' : 'logging.level',
      o.level ?? env.LOG_LEVEL ?? 'info',
      LEVELS,
    ),
    format: assertOption.oneOf(
      o.format === undefined ? 'LOG_FORMAT' : 'logging.format',
      o.format ?? env.LOG_FORMAT ?? (environment === 'development' ? 'pretty' : 'json'),
      ['json', 'pretty'] as const,
    ),
    transports: o.transports,
    name: o.name === undefined ? undefined : assertOption.nonEmptyString('logging.name', o.name),
    redactKeys: o.redactKeys ?? DEFAULT_REDACT_KEYS,
    redactMarker:
      o.redactMarker === undefined ? '[REDACTED]' : assertString('logging.redactMarker', o.redactMarker),
    maxStringLength:
      o.maxStringLength === undefined
        ? 8192
        : integerAtLeast('logging.maxStringLength', o.maxStringLength, 16),
    maxDepth: o.maxDepth === undefined ? 8 : integerAtLeast('logging.maxDepth', o.maxDepth, 1),
    caller: o.caller === undefined ? false : assertOption.boolean('logging.caller', o.caller),
    colors: o.colors === undefined ? !env.NO_COLOR : assertOption.boolean('logging.colors', o.colors),
    accessLog: {
      enabled:
        access.enabled === undefined
          ? true
          : assertOption.boolean('logging.accessLog.enabled', access.enabled),
      slowThresholdMs:
        access.slowThresholdMs === undefined
          ? 2000
          : assertOption.positiveNumber('logging.accessLog.slowThresholdMs', access.slowThresholdMs),
      excludePaths,
    },
    flushTimeoutMs: o.flushTimeoutMs === undefined ? 5000 : assertOption.positiveNumber('logging.flushTimeoutMs', o.flushTimeoutMs),
    flushFloorMs: o.flushFloorMs === undefined ? 250 : assertOption.nonNegativeNumber('logging.flushFloorMs', o.flushFloorMs),
    levelsPath: levelsPath(o.levelsPath),
    otlp: resolveOtlpLogOptions(o.otlp, env),
    stdout: o.stdout === undefined ? true : assertOption.boolean('logging.stdout', o.stdout),
  };
}

function levelsPath(value: unknown): string | undefined {
  if (value === undefined) return '/observability/loggers';
  if (value === false) return undefined;
  if (typeof value !== 'string' || !/^\/[^?#]*[^/?#]$/.test(value)) {
    throw new ObservabilityConfigError('logging.levelsPath', value, 'false or a path starting with "/" and not ending with "/", such as "/observability/loggers"');
  }
  return value;
}

function assertString(option: string, value: unknown): string {
  if (typeof value !== 'string') throw new ObservabilityConfigError(option, value, 'a string');
  return value;
}

function integerAtLeast(option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ObservabilityConfigError(option, value, `an integer of ${min} or more`);
  }
  return value;
}
