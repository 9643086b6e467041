import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertOption, ObservabilityConfigError } from './configError';
import { resolveConsoleOptions, type ConsoleOptions, type ResolvedConsoleOptions } from './console/consoleOptions';
import type { TelemetryErrorHandler } from './errorReporter';
import { resolveHealthOptions, type HealthOptions, type ResolvedHealthOptions } from './health/healthOptions';
import { resolveLoggingOptions, type LoggingOptions, type ResolvedLoggingOptions } from './logging/loggingOptions';
import { resolveMetricsOptions, type MetricsOptions, type ResolvedMetricsOptions } from './metrics/metricsOptions';
import { resolveTracingOptions, type ResolvedTracingOptions, type TracingOptions } from './tracing/tracingOptions';

/** Options of {@link createObservability}. Every field is optional. */
export interface ObservabilityOptions {
  /** Service name. Default: `OTEL_SERVICE_NAME`, else the `name` in `./package.json`, else `unknown_service:node`. */
  readonly serviceName?: string;
  /** Service version. Default: `SERVICE_VERSION`, else the `version` in `./package.json`, else `0.0.0`. */
  readonly serviceVersion?: string;
  /** Deployment environment. Default: `NODE_ENV`, else `development`. */
  readonly environment?: string;
  /** Health checks and probe routes. */
  readonly health?: HealthOptions;
  /** Prometheus metrics, or `false` to turn them off. */
  readonly metrics?: MetricsOptions | false;
  /** OpenTelemetry tracing, or `false` to turn it off. */
  readonly tracing?: TracingOptions | false;
  /** winston logging. */
  readonly logging?: LoggingOptions;
  /** Request id handling. */
  readonly requestId?: {
    /** Header read and written. Default: `x-request-id`. */
    readonly header?: string;
    /** Longest incoming id kept; longer or odd ones are replaced. Default: 128. */
    readonly maxLength?: number;
  };
  /** Paths of the info route. Default: `/info`. */
  readonly infoPath?: string | false;
  /** Make this instance the one the decorators use. Default: true. */
  readonly global?: boolean;
  /** Called for every failure while recording telemetry. Default: one warning per source per interval, then counted. */
  readonly onError?: TelemetryErrorHandler;
  /** Without `onError`: at most one warning per failing source in this interval. Default: 60000 ms. */
  readonly errorReportIntervalMs?: number;
  /**
   * Serve the health and metrics routes on a port of their own (0: an ephemeral one), started
   * with the instance and closed by its shutdown, so they can stay off the public port; the
   * public `obs.routes()` then leaves `/metrics` out. `metrics.managementPort` and
   * `metrics.managementHost` are aliases. Default: none.
   */
  readonly management?: {
    readonly port: number;
    /** Interface to listen on. Default: all interfaces. */
    readonly host?: string;
  };
  /** The observability console (a page with health, RED charts, traces, logs, errors), or `false` to turn it off. */
  readonly console?: ConsoleOptions | false;
  /** Environment to read instead of `process.env` (tests). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Every option with its value resolved. */
export interface ResolvedConfig {
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly environment: string;
  readonly production: boolean;
  readonly health: ResolvedHealthOptions;
  readonly metrics: ResolvedMetricsOptions;
  readonly tracing: ResolvedTracingOptions;
  readonly logging: ResolvedLoggingOptions;
  readonly requestIdHeader: string;
  readonly requestIdMaxLength: number;
  readonly infoPath: string | false;
  readonly global: boolean;
  readonly onError: TelemetryErrorHandler | undefined;
  readonly errorReportIntervalMs: number;
  /** The management server's address, when one is configured. */
  readonly management: { readonly port: number; readonly host: string | undefined } | undefined;
  readonly console: ResolvedConsoleOptions;
  readonly env: NodeJS.ProcessEnv;
}

/** Resolves and validates options once; throws {@link ObservabilityConfigError} naming the bad option. */
export function resolveConfig(options: ObservabilityOptions = {}): ResolvedConfig {
  if (typeof options !== 'object' || options === null) {
    throw new ObservabilityConfigError('options', options, 'an options object, for example { serviceName: "orders" }');
  }
  const env = options.env ?? process.env;
  const pkg = readPackageJson();
  const serviceName =
    options.serviceName !== undefined
      ? assertOption.nonEmptyString('serviceName', options.serviceName)
      : env.OTEL_SERVICE_NAME || pkg.name || 'unknown_service:node';
  const serviceVersion =
    options.serviceVersion !== undefined
      ? assertOption.nonEmptyString('serviceVersion', options.serviceVersion)
      : env.SERVICE_VERSION || pkg.version || '0.0.0';
  const environment =
    options.environment !== undefined
      ? assertOption.nonEmptyString('environment', options.environment)
      : env.NODE_ENV || 'development';
  const production = environment === 'production';
  const header = (options.requestId?.header ?? 'x-request-id').toLowerCase();
  if (!/^[a-z0-9-]+$/.test(header)) {
    throw new ObservabilityConfigError('requestId.header', options.requestId?.header, 'an HTTP header name such as "x-request-id"');
  }
  const global = options.global === undefined ? true : assertOption.boolean('global', options.global);
  const health = resolveHealthOptions(options.health, env, production);
  const metrics = resolveMetricsOptions(options.metrics, env, serviceName, health.probeDeadlineMs);
  return {
    serviceName,
    serviceVersion,
    environment,
    production,
    health,
    metrics,
    tracing: resolveTracingOptions(options.tracing, env, { production, global }),
    logging: resolveLoggingOptions(options.logging, env, environment),
    requestIdHeader: header,
    requestIdMaxLength:
      options.requestId?.maxLength === undefined
        ? 128
        : assertOption.positiveNumber('requestId.maxLength', options.requestId.maxLength),
    infoPath: resolveInfoPath(options.infoPath),
    global,
    onError: options.onError === undefined ? undefined : (assertOption.func('onError', options.onError) as TelemetryErrorHandler),
    errorReportIntervalMs:
      options.errorReportIntervalMs === undefined
        ? 60_000
        : assertOption.positiveNumber('errorReportIntervalMs', options.errorReportIntervalMs),
    management: resolveManagement(options.management, metrics),
    console: resolveConsoleOptions(options.console, production),
    env,
  };
}

function resolveManagement(
  value: ObservabilityOptions['management'],
  metrics: ResolvedMetricsOptions,
): ResolvedConfig['management'] {
  if (value === undefined) {
    return metrics.managementPort === undefined ? undefined : { port: metrics.managementPort, host: metrics.managementHost };
  }
  if (metrics.managementPort !== undefined || metrics.managementHost !== undefined) {
    throw new ObservabilityConfigError('metrics.managementPort', metrics.managementPort, 'left out when management is set (it is an alias of management.port)');
  }
  if (typeof value !== 'object' || value === null) {
    throw new ObservabilityConfigError('management', value, 'an object such as { port: 9464, host: "127.0.0.1" }');
  }
  const { port, host } = value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ObservabilityConfigError('management.port', port, 'a port number from 0 (ephemeral) to 65535');
  }
  return { port, host: host === undefined ? undefined : assertOption.nonEmptyString('management.host', host) };
}

function resolveInfoPath(value: unknown): string | false {
  if (value === undefined) return '/info';
  if (value === false) return false;
  if (typeof value !== 'string' || !/^\/[A-Za-z0-9/_.-]*$/.test(value)) {
    throw new ObservabilityConfigError('infoPath', value, 'a path starting with "/" such as "/info", or false to turn the route off');
  }
  return value;
}

function readPackageJson(): { name?: string; version?: string } {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as { name?: string; version?: string }) : {};
  } catch {
    return {};
  }
}
