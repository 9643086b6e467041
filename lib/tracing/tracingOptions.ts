import type { SpanExporter } from './createTracerProvider';
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { assertOption, ObservabilityConfigError } from '../configError';

/** Names of the standard samplers (`OTEL_TRACES_SAMPLER` values). */
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

/** Where finished spans go: OTLP over HTTP, stdout, the embedded in-memory buffer, nowhere, or your exporter. */
export type TracesExporterName = 'otlp' | 'console' | 'memory' | 'none';

/** OTLP encodings supported (gRPC is not bundled). */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** Tracing options. Each default names the environment variable read when the option is unset. */
export interface TracingOptions {
  /** Turn the tracing pillar off. Default: true, unless `OTEL_SDK_DISABLED=true`. */
  readonly enabled?: boolean;
  /**
   * Where finished spans go. Default: `OTEL_TRACES_EXPORTER` (`otlp`, `console`, `none`), else
   * `otlp` when an OTLP endpoint is configured, else `memory`: the embedded buffer behind
   * `obs.tracing.recentSpans()` and `GET /observability/traces`.
   */
  readonly exporter?: TracesExporterName | SpanExporter;
  /**
   * OTLP traces URL. Default: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, else `http://localhost:4318/v1/traces`.
   */
  readonly endpoint?: string;
  /** OTLP encoding. Default: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else `http/protobuf`. */
  readonly protocol?: OtlpProtocol;
  /** Headers sent with every export. Default: `OTEL_EXPORTER_OTLP_TRACES_HEADERS`, else `OTEL_EXPORTER_OTLP_HEADERS` (`k=v,k2=v2`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Timeout of one export request. Default: `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, else `OTEL_EXPORTER_OTLP_TIMEOUT`, else 10000 ms. */
  readonly timeoutMs?: number;
  /** Sampler. Default: `OTEL_TRACES_SAMPLER`, else `parentbased_traceidratio` (with `sampleRatio`). */
  readonly sampler?: SamplerName;
  /** Ratio of root traces sampled, 0 to 1 (implies `parentbased_traceidratio` when `sampler` is unset). Default: `OTEL_TRACES_SAMPLER_ARG`, else 1. */
  readonly sampleRatio?: number;
  /** `batch` (production) or `simple` (export each span as it ends; tests). Default: `batch`. */
  readonly processor?: 'batch' | 'simple';
  /** Batch processor limits. Defaults: `OTEL_BSP_*`, else 2048 queued spans, batches of 512, every 5000 ms, 30000 ms export timeout. */
  readonly batch?: {
    /** Spans waiting for export; further ones are dropped and counted. */
    readonly maxQueueSize?: number;
    readonly maxExportBatchSize?: number;
    readonly scheduledDelayMs?: number;
    readonly exportTimeoutMs?: number;
  };
  /** Finished spans kept in memory for `obs.tracing.recentSpans()` and the traces route. Default: 1000 with the `memory` exporter, else 0. */
  readonly recentSpans?: number;
  /**
   * Path of the JSON traces route (`GET {path}` and `GET {path}/:traceId`), or false. Default:
   * `/observability/traces`, served outside production only; set it explicitly to serve it in production.
   */
  readonly tracesPath?: string | false;
  /**
   * Register this instance's provider and the W3C propagator as the OpenTelemetry globals, and
   * send the spans of preloaded instrumentations (`express-observability/register`) to it.
   * Only one instance holds the globals at a time: the first that asks, until it shuts down.
   * Default: the instance's `global` option (true unless set false).
   */
  readonly registerGlobal?: boolean;
  /** Dropped spans and export failures are reported through `onError` at most once per this interval. Default: 60000 ms. */
  readonly reportIntervalMs?: number;
}

/** Tracing options after defaults and validation. */
export interface ResolvedTracingOptions {
  readonly enabled: boolean;
  readonly exporter: TracesExporterName | SpanExporter;
  readonly endpoint: string;
  readonly protocol: OtlpProtocol;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly sampler: SamplerName;
  readonly sampleRatio: number;
  readonly processor: 'batch' | 'simple';
  readonly batch: { readonly maxQueueSize: number; readonly maxExportBatchSize: number; readonly scheduledDelayMs: number; readonly exportTimeoutMs: number };
  readonly recentSpans: number;
  /** Where the trace routes are served; `undefined`: not served (turned off, production default, or no spans kept). */
  readonly tracesPath: string | undefined;
  /** Register the provider and propagator as OpenTelemetry's globals (default: the instance's `global`). */
  readonly registerGlobal: boolean;
  readonly reportIntervalMs: number;
}

/** Auto-instrumentation mode chosen for the preload entry. */
export interface ResolvedRegisterOptions {
  /** `client`: outgoing http/https and fetch spans plus propagation. `full`: also http server and express layer spans. `off`: nothing. */
  readonly mode: 'client' | 'full' | 'off';
  /** Install the ESM loader hook, so `import`ed modules are patched too. */
  readonly esmHook: boolean;
}

/** Where the trace routes are served outside production unless `tracing.tracesPath` says otherwise. */
export const DEFAULT_TRACES_PATH = '/observability/traces';

const SAMPLERS: readonly SamplerName[] = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];
const EXPORTERS: readonly TracesExporterName[] = ['otlp', 'console', 'memory', 'none'];
const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

/** Resolves tracing options; the only place tracing reads environment variables. Throws on a bad value. */
export function resolveTracingOptions(
  input: TracingOptions | false | undefined,
  env: NodeJS.ProcessEnv,
  instance: { readonly production: boolean; readonly global: boolean } = { production: false, global: true },
): ResolvedTracingOptions {
  const o: TracingOptions = input === false ? { enabled: false } : (input ?? {});
  const enabled = o.enabled === undefined ? env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== 'true' : assertOption.boolean('tracing.enabled', o.enabled);
  const endpointFromEnv = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT ? joinPath(env.OTEL_EXPORTER_OTLP_ENDPOINT, 'v1/traces') : '');
  const endpoint = url(o.endpoint !== undefined ? 'tracing.endpoint' : endpointName(env), o.endpoint ?? (endpointFromEnv || 'http://localhost:4318/v1/traces'));
  const endpointSet = o.endpoint !== undefined || endpointFromEnv !== '';
  const ratioFromEnv = env.OTEL_TRACES_SAMPLER_ARG ? num('OTEL_TRACES_SAMPLER_ARG', env.OTEL_TRACES_SAMPLER_ARG) : undefined;
  const sampleRatio = assertOption.ratio(o.sampleRatio !== undefined ? 'tracing.sampleRatio' : 'OTEL_TRACES_SAMPLER_ARG', o.sampleRatio ?? ratioFromEnv ?? 1);
  const sampler =
    o.sampler !== undefined
      ? assertOption.oneOf('tracing.sampler', o.sampler, SAMPLERS)
      : o.sampleRatio === undefined && env.OTEL_TRACES_SAMPLER
        ? assertOption.oneOf('OTEL_TRACES_SAMPLER', env.OTEL_TRACES_SAMPLER.trim().toLowerCase(), SAMPLERS)
        : 'parentbased_traceidratio';
  const exporter = resolveExporter(o.exporter, env, endpointSet);
  const b = o.batch ?? {};
  const recentSpans =
    o.recentSpans === undefined ? (exporter === 'memory' ? 1000 : 0) : Math.floor(assertOption.nonNegativeNumber('tracing.recentSpans', o.recentSpans));
  const path = tracesPath(o.tracesPath);
  return {
    enabled,
    exporter,
    endpoint,
    protocol: assertOption.oneOf(
      o.protocol !== undefined ? 'tracing.protocol' : 'OTEL_EXPORTER_OTLP_PROTOCOL',
      o.protocol ?? (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf'),
      PROTOCOLS,
    ),
    headers: o.headers !== undefined ? headers(o.headers) : parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS || env.OTEL_EXPORTER_OTLP_HEADERS || ''),
    timeoutMs: positive('tracing.timeoutMs', o.timeoutMs, env, ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'], 10_000),
    sampler,
    sampleRatio,
    processor: o.processor === undefined ? 'batch' : assertOption.oneOf('tracing.processor', o.processor, ['batch', 'simple'] as const),
    batch: {
      maxQueueSize: positive('tracing.batch.maxQueueSize', b.maxQueueSize, env, ['OTEL_BSP_MAX_QUEUE_SIZE'], 2048),
      maxExportBatchSize: positive('tracing.batch.maxExportBatchSize', b.maxExportBatchSize, env, ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'], 512),
      scheduledDelayMs: positive('tracing.batch.scheduledDelayMs', b.scheduledDelayMs, env, ['OTEL_BSP_SCHEDULE_DELAY'], 5000),
      exportTimeoutMs: positive('tracing.batch.exportTimeoutMs', b.exportTimeoutMs, env, ['OTEL_BSP_EXPORT_TIMEOUT'], 30_000),
    },
    recentSpans,
    // The trace routes read the kept spans: with none kept there is nothing to serve.
    tracesPath: recentSpans === 0 || path === false ? undefined : (path ?? (instance.production ? undefined : DEFAULT_TRACES_PATH)),
    registerGlobal: o.registerGlobal === undefined ? instance.global : assertOption.boolean('tracing.registerGlobal', o.registerGlobal),
    reportIntervalMs: o.reportIntervalMs === undefined ? 60_000 : assertOption.positiveNumber('tracing.reportIntervalMs', o.reportIntervalMs),
  };
}

/**
 * Resolves the preload entry's options: mode from `EXPRESS_OBSERVABILITY_INSTRUMENTATION`
 * (`client`, the default; `full`; `off`; `OTEL_SDK_DISABLED=true` means `off`), and the ESM
 * loader hook from `EXPRESS_OBSERVABILITY_ESM_HOOK` (`true`/`false`), by default on when the
 * process was started with `--import` (in its arguments or `NODE_OPTIONS`).
 */
export function resolveRegisterOptions(env: NodeJS.ProcessEnv, execArgv: readonly string[]): ResolvedRegisterOptions {
  const raw = env.EXPRESS_OBSERVABILITY_INSTRUMENTATION?.trim().toLowerCase() || 'client';
  const mode = assertOption.oneOf('EXPRESS_OBSERVABILITY_INSTRUMENTATION', raw, ['client', 'full', 'off'] as const);
  const hook = env.EXPRESS_OBSERVABILITY_ESM_HOOK?.trim().toLowerCase();
  const esmHook = hook
    ? assertOption.oneOf('EXPRESS_OBSERVABILITY_ESM_HOOK', hook, ['true', 'false'] as const) === 'true'
    : [...execArgv, env.NODE_OPTIONS ?? ''].some((a) => a.includes('--import') || a.includes('--experimental-loader'));
  return { mode: env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' ? 'off' : mode, esmHook };
}

function resolveExporter(value: TracingOptions['exporter'], env: NodeJS.ProcessEnv, endpointSet: boolean): TracesExporterName | SpanExporter {
  if (value !== undefined && typeof value === 'object' && value !== null) {
    if (typeof (value as SpanExporter).export !== 'function' || typeof (value as SpanExporter).shutdown !== 'function') {
      throw new ObservabilityConfigError('tracing.exporter', value, 'an OpenTelemetry SpanExporter (with export() and shutdown())');
    }
    return value;
  }
  if (value !== undefined) return assertOption.oneOf('tracing.exporter', value, EXPORTERS);
  const fromEnv = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (fromEnv) return assertOption.oneOf('OTEL_TRACES_EXPORTER', fromEnv, ['otlp', 'console', 'none'] as const);
  return endpointSet ? 'otlp' : 'memory';
}

function endpointName(env: NodeJS.ProcessEnv): string {
  return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
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
  throw new ObservabilityConfigError(option, value, 'an http(s) URL such as "http://localhost:4318/v1/traces"');
}

function num(option: string, raw: string): number {
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(n)) throw new ObservabilityConfigError(option, raw, 'a number');
  return n;
}

function positive(option: string, value: number | undefined, env: NodeJS.ProcessEnv, names: string[], fallback: number): number {
  if (value !== undefined) return assertOption.positiveNumber(option, value);
  for (const name of names) {
    if (env[name]) return assertOption.positiveNumber(name, num(name, env[name]));
  }
  return fallback;
}

function headers(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new ObservabilityConfigError('tracing.headers', value, 'an object of header names to string values');
  }
  return value as Record<string, string>;
}

function tracesPath(value: unknown): string | false | undefined {
  if (value === undefined || value === false) return value;
  if (typeof value !== 'string' || !/^\/[^?#]*[^/?#]$/.test(value)) {
    throw new ObservabilityConfigError('tracing.tracesPath', value, 'false or a path starting with "/" and not ending with "/", such as "/observability/traces"');
  }
  return value;
}
