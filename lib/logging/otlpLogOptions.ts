import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { assertOption, ObservabilityConfigError } from '../configError';
import type { OtlpProtocol } from '../tracing/tracingOptions';
import type { LogRecordExporter } from './createOtlpLogExport';

/**
 * OTLP log export, shaped like tracing's OTLP options. Each default names the environment
 * variable read when the option is unset (the OpenTelemetry ones).
 */
export interface OtlpLogOptions {
  /** Send every log record by OTLP. Default: true when `OTEL_LOGS_EXPORTER` lists `otlp`, else false. */
  readonly enabled?: boolean;
  /**
   * OTLP logs URL. Default: `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT`
   * + `/v1/logs`, else `http://localhost:4318/v1/logs`.
   */
  readonly endpoint?: string;
  /** OTLP encoding. Default: `OTEL_EXPORTER_OTLP_LOGS_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else `http/protobuf`. */
  readonly protocol?: OtlpProtocol;
  /** Headers sent with every export. Default: `OTEL_EXPORTER_OTLP_LOGS_HEADERS`, else `OTEL_EXPORTER_OTLP_HEADERS` (`k=v,k2=v2`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Timeout of one export request. Default: `OTEL_EXPORTER_OTLP_LOGS_TIMEOUT`, else `OTEL_EXPORTER_OTLP_TIMEOUT`, else 10000 ms. */
  readonly timeoutMs?: number;
  /** Batch limits. Defaults: `OTEL_BLRP_*`, else 2048 queued records, batches of 512, every 1000 ms, 30000 ms export timeout. */
  readonly batch?: {
    /** Records waiting for export; further ones are dropped and counted. */
    readonly maxQueueSize?: number;
    readonly maxExportBatchSize?: number;
    readonly scheduledDelayMs?: number;
    readonly exportTimeoutMs?: number;
  };
  /** Dropped records and failed exports are reported through `onError` at most once per this interval. Default: 60000 ms. */
  readonly reportIntervalMs?: number;
  /** An OpenTelemetry `LogRecordExporter` instead of OTLP/HTTP (tests: `InMemoryLogRecordExporter`). */
  readonly exporter?: LogRecordExporter;
}

/** OTLP log export after defaults and validation. */
export interface ResolvedOtlpLogOptions {
  readonly endpoint: string;
  readonly protocol: OtlpProtocol;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly batch: { readonly maxQueueSize: number; readonly maxExportBatchSize: number; readonly scheduledDelayMs: number; readonly exportTimeoutMs: number };
  readonly reportIntervalMs: number;
  readonly exporter: LogRecordExporter | undefined;
}

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];
const EXPORTERS = ['otlp', 'console', 'none'] as const;

/** Resolves `logging.otlp`; undefined when OTLP log export is off. The only place it reads the environment. */
export function resolveOtlpLogOptions(input: OtlpLogOptions | false | undefined, env: NodeJS.ProcessEnv): ResolvedOtlpLogOptions | undefined {
  if (input === false) return undefined;
  if (input !== undefined && (typeof input !== 'object' || input === null)) {
    throw new ObservabilityConfigError('logging.otlp', input, 'an object such as { endpoint: "http://collector:4318/v1/logs" }, or false');
  }
  const o = input ?? {};
  const listed = (env.OTEL_LOGS_EXPORTER ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  for (const name of listed) assertOption.oneOf('OTEL_LOGS_EXPORTER', name, EXPORTERS);
  const enabled = o.enabled === undefined ? input !== undefined || listed.includes('otlp') : assertOption.boolean('logging.otlp.enabled', o.enabled);
  if (!enabled) return undefined;
  const fromEnv = env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT ? joinPath(env.OTEL_EXPORTER_OTLP_ENDPOINT, 'v1/logs') : '');
  const endpointOption = o.endpoint !== undefined ? 'logging.otlp.endpoint' : env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT ? 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const b = o.batch ?? {};
  const maxQueueSize = positive('logging.otlp.batch.maxQueueSize', b.maxQueueSize, env, ['OTEL_BLRP_MAX_QUEUE_SIZE'], 2048);
  if (o.exporter !== undefined && (typeof o.exporter !== 'object' || o.exporter === null || typeof o.exporter.export !== 'function')) {
    throw new ObservabilityConfigError('logging.otlp.exporter', o.exporter, 'an OpenTelemetry LogRecordExporter (with export() and shutdown())');
  }
  return {
    endpoint: url(endpointOption, o.endpoint ?? (fromEnv || 'http://localhost:4318/v1/logs')),
    protocol: assertOption.oneOf(
      o.protocol !== undefined ? 'logging.otlp.protocol' : env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL ? 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL',
      o.protocol ?? (env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf'),
      PROTOCOLS,
    ),
    headers: o.headers !== undefined ? headers(o.headers) : parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_LOGS_HEADERS || env.OTEL_EXPORTER_OTLP_HEADERS || ''),
    timeoutMs: positive('logging.otlp.timeoutMs', o.timeoutMs, env, ['OTEL_EXPORTER_OTLP_LOGS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'], 10_000),
    batch: {
      maxQueueSize,
      maxExportBatchSize: Math.min(maxQueueSize, positive('logging.otlp.batch.maxExportBatchSize', b.maxExportBatchSize, env, ['OTEL_BLRP_MAX_EXPORT_BATCH_SIZE'], 512)),
      scheduledDelayMs: positive('logging.otlp.batch.scheduledDelayMs', b.scheduledDelayMs, env, ['OTEL_BLRP_SCHEDULE_DELAY'], 1000),
      exportTimeoutMs: positive('logging.otlp.batch.exportTimeoutMs', b.exportTimeoutMs, env, ['OTEL_BLRP_EXPORT_TIMEOUT'], 30_000),
    },
    reportIntervalMs: o.reportIntervalMs === undefined ? 60_000 : assertOption.positiveNumber('logging.otlp.reportIntervalMs', o.reportIntervalMs),
    exporter: o.exporter,
  };
}

function joinPath(base: string, path: string): string {
  return base.endsWith('/') ? base + path : `${base}/${path}`;
}

function url(option: string, value: unknown): string {
  try {
    const u = new URL(String(value));
    if ((u.protocol === 'http:' || u.protocol === 'https:') && typeof value === 'string') return u.href;
  } catch {
    // reported below with the option's name
  }
  throw new ObservabilityConfigError(option, value, 'an http(s) URL such as "http://localhost:4318/v1/logs"');
}

function positive(option: string, value: number | undefined, env: NodeJS.ProcessEnv, names: string[], fallback: number): number {
  if (value !== undefined) return assertOption.positiveNumber(option, value);
  for (const name of names) {
    const raw = env[name];
    if (!raw) continue;
    const n = Number(raw.trim());
    if (raw.trim() === '' || !Number.isFinite(n)) throw new ObservabilityConfigError(name, raw, 'a number');
    return assertOption.positiveNumber(name, n);
  }
  return fallback;
}

function headers(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new ObservabilityConfigError('logging.otlp.headers', value, 'an object of header names to string values');
  }
  return value as Record<string, string>;
}
