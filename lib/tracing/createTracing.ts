import type { IncomingMessage } from 'node:http';
import { context, ProxyTracerProvider, type TextMapPropagator, type Tracer, type TracerProvider } from '@opentelemetry/api';
import type { ResolvedConfig } from '../config';
import type { ErrorReporter } from '../errorReporter';
import type { Metrics } from '../metrics/createMetrics';
import type { Pillar, PillarDeps } from '../pillar';
import type { FinishedRequest } from '../requestLifecycle';
import { withDeadline } from '../shutdown/withDeadline';
import { attachAutoInstrumentation, autoInstrumentationMode, detachAutoInstrumentation } from './autoInstrumentationState';
import { createServerSpans, type ServerSpanHandle } from './createServerSpans';
import { createTracedFetch, type TracedFetch } from './createTracedFetch';
import { createTracerProvider, type ServiceIdentity } from './createTracerProvider';
import { SpanExportGuard, type SpanExportListener, type SpanExportStats } from './SpanExportGuard';
import type { SpanRecord, TraceSummary } from './SpanRingBuffer';

export type { ServerSpanHandle } from './createServerSpans';
export { DEFAULT_TRACES_PATH } from './tracingOptions';

/** The tracing pillar of an instance; it ends each finished request's server span. */
export interface Tracing extends Pillar {
  /** False with `tracing: false` or `OTEL_SDK_DISABLED=true`: spans are no-ops. */
  readonly enabled: boolean;
  /** A tracer of this instance's own provider, for manual spans. */
  readonly tracer: Tracer;
  /** This instance's tracer provider (also the OTel global one when {@link Tracing.registeredGlobal}). */
  readonly provider: TracerProvider;
  /** W3C trace context and baggage propagator. */
  readonly propagator: TextMapPropagator;
  /** This instance holds the OpenTelemetry globals (provider, propagator, preloaded instrumentations). */
  readonly registeredGlobal: boolean;
  /** Path of the JSON traces route when it is served (outside production by default, with recent spans kept). */
  readonly tracesPath: string | undefined;
  /** Starts the server span of a request; undefined when tracing is off or for the library's trace routes. */
  startServerSpan(req: IncomingMessage, method: string, path: string): ServerSpanHandle | undefined;
  /** Ends the server span with the request's outcome. */
  endServerSpan(handle: ServerSpanHandle, request: FinishedRequest): void;
  /** Recently finished spans kept in memory, newest first (empty unless `recentSpans` > 0). */
  recentSpans(limit?: number): SpanRecord[];
  /** The kept spans of one trace, in start order. */
  traceById(traceId: string): SpanRecord[];
  /** The kept traces, most recent first. */
  traces(limit?: number): TraceSummary[];
  /** `fetch` with a CLIENT span and W3C headers injected: the called service joins the trace. */
  readonly fetch: TracedFetch;
  /** Writes the active context's `traceparent`, `tracestate` and `baggage` into `headers` (for clients you call yourself). */
  injectHeaders<T extends Record<string, string>>(headers: T): T;
  /** Exported, dropped and failed counts of the export pipeline. */
  stats(): SpanExportStats;
  forceFlush(): Promise<void>;
  /**
   * Flushes and releases the pipeline. With `timeoutMs`, stops waiting by then: the spans
   * the flush has not delivered are counted as dropped (reason `shutdown`) and reported once.
   * Never rejects.
   */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** Builds the tracing pillar of one instance. */
export function createTracing(config: ResolvedConfig, deps: PillarDeps): Tracing {
  const options = config.tracing;
  const service: ServiceIdentity = config;
  const { errors } = deps;
  const guard = new SpanExportGuard(createLossListener(errors, options.reportIntervalMs, deps.metrics));
  if (!options.enabled) return disabledTracing(service.serviceName, guard);
  const parts = createTracerProvider(options, service, guard);
  const registeredGlobal = options.registerGlobal && parts.registerGlobal();
  if (registeredGlobal) attachAutoInstrumentation(parts.provider);
  const tracesPath = options.tracesPath;
  // The trace routes are not traced themselves: reading traces would add traces.
  const spans = createServerSpans(parts.tracer, parts.propagator, tracesPath && `${tracesPath}/`, autoInstrumentationMode() === 'full');
  const end = spans.end;
  return {
    enabled: true,
    tracer: parts.tracer,
    provider: parts.provider,
    propagator: parts.propagator,
    registeredGlobal,
    tracesPath,
    startServerSpan: spans.start,
    endServerSpan: end,
    requestFinished(request) {
      if (request.serverSpan) end(request.serverSpan, request);
    },
    recentSpans: (limit) => parts.recent.recent(limit),
    traceById: (traceId) => parts.recent.trace(traceId),
    traces: (limit) => parts.recent.traces(limit),
    fetch: createTracedFetch(parts.tracer, parts.propagator),
    injectHeaders(headers) {
      parts.propagator.inject(context.active(), headers, { set: (carrier, key, value) => ((carrier as Record<string, string>)[key] = value) });
      return headers;
    },
    stats: () => guard.stats(),
    forceFlush: () => parts.forceFlush(),
    async shutdown(timeoutMs = Infinity) {
      detachAutoInstrumentation(parts.provider);
      // A failed final export is counted and reported by the export guard already;
      // reporting the provider's rejection too would count one loss twice.
      if (await withDeadline(() => parts.shutdown(), timeoutMs, () => undefined)) return;
      const lost = guard.abandon();
      errors.report('shutdown', new Error(`span flush cut off by the shutdown deadline after ${Math.round(timeoutMs)} ms: ${lost} spans dropped (trace backend slow or down)`));
    },
  };
}

function disabledTracing(serviceName: string, guard: SpanExportGuard): Tracing {
  // A provider with no delegate: every span is a no-op and nothing is registered anywhere.
  const provider = new ProxyTracerProvider();
  const tracer = provider.getTracer(serviceName);
  return {
    enabled: false,
    tracer,
    provider,
    propagator: { inject: () => undefined, extract: (ctx) => ctx, fields: () => [] },
    registeredGlobal: false,
    tracesPath: undefined,
    startServerSpan: () => undefined,
    endServerSpan: () => undefined,
    recentSpans: () => [],
    traceById: () => [],
    traces: () => [],
    fetch: (input, init) => fetch(input, init),
    injectHeaders: (headers) => headers,
    stats: () => guard.stats(),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
}

/**
 * Counts losses in the self-metrics (when the metrics pillar is on) and reports them through
 * the error channel at most once per interval, as one summary, so a backend outage under
 * load becomes one warning a minute rather than one per span.
 */
function createLossListener(errors: ErrorReporter, intervalMs: number, metrics: Metrics | undefined): SpanExportListener {
  const dropped = metrics?.define.counter({
    name: 'express_observability_spans_dropped_total',
    help: 'Spans that never reached the trace backend, by reason (queue_full: export queue at its limit; export_failed: the export call failed; shutdown: the final flush was cut off by the shutdown deadline).',
    labelNames: ['reason'],
  });
  const failures = metrics?.define.counter({
    name: 'express_observability_span_export_failures_total',
    help: 'Span export calls that failed (backend down, refusing, timing out or rejecting).',
  });
  dropped?.inc({ reason: 'queue_full' }, 0);
  dropped?.inc({ reason: 'export_failed' }, 0);
  dropped?.inc({ reason: 'shutdown' }, 0);
  failures?.inc(0);
  let last = -Infinity;
  let droppedSince = 0;
  let failuresSince = 0;
  let lastError: unknown;
  const maybeReport = (): void => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
    errors.report('exporter', new Error(`span export: ${droppedSince} spans dropped and ${failuresSince} exports failed since the last report${cause}`, { cause: lastError }));
    droppedSince = 0;
    failuresSince = 0;
    lastError = undefined;
  };
  return {
    dropped(reason, count) {
      dropped?.inc({ reason }, count);
      droppedSince += count;
      if (reason === 'queue_full') maybeReport();
    },
    exportFailed(error) {
      failures?.inc();
      failuresSince++;
      lastError = error;
      maybeReport();
    },
  };
}
