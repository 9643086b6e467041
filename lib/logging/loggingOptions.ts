import type Transport from 'winston-transport';
import { assertOption } from '../configError';

const LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
/** A winston npm level. */
export type LogLevel = (typeof LEVELS)[number];

/** Logging options. */
export interface LoggingOptions {
  /** Minimum level. Default: `LOG_LEVEL`, else `info`. */
  readonly level?: LogLevel;
  /** `json` or `pretty`. Default: `LOG_FORMAT`, else `pretty` in development and `json` elsewhere. */
  readonly format?: 'json' | 'pretty';
  /** Where lines go. Default: one console transport (stdout). */
  readonly transports?: readonly Transport[];
}

/** Logging options after defaults and validation. */
export interface ResolvedLoggingOptions {
  readonly level: LogLevel;
  readonly format: 'json' | 'pretty';
  readonly transports: readonly Transport[] | undefined;
}

/** Resolves logging options; throws on a bad value. */
export function resolveLoggingOptions(
  input: LoggingOptions | undefined,
  env: NodeJS.ProcessEnv,
  environment: string,
): ResolvedLoggingOptions {
  const o = input ?? {};
  return {
    level: assertOption.oneOf(o.level === undefined ? 'LOG_LEVEL' : 'logging.level', o.level ?? env.LOG_LEVEL ?? 'info', LEVELS),
    format: assertOption.oneOf(
      o.format === undefined ? 'LOG_FORMAT' : 'logging.format',
      o.format ?? env.LOG_FORMAT ?? (environment === 'development' ? 'pretty' : 'json'),
      ['json', 'pretty'] as const,
    ),
    transports: o.transports,
  };
}
