import {
  context,
  isSpanContextValid,
  trace,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  type Tracer,
  type TracerOptions,
  type TracerProvider,
} from '@opentelemetry/api';

/** W3C Trace Context Level 2: the trace id's rightmost 7 bytes are random. */
export const RANDOM_TRACE_FLAG = 0x02;

/**
 * A tracer that gives each span the `random` trace flag (`0x02`, W3C Trace Context Level 2)
 * the SDK leaves out: the SDK's tracer builds a span's flags from the sampling decision alone
 * (`-02` in comes out `-00`, `-03` comes out `-01`). A span that continues a trace keeps its
 * parent's flag; a span that starts a trace gets it, since the SDK's trace ids are random.
 * The flag is then in the span's context, so every `traceparent` injected from it (the traced
 * fetch, `injectHeaders`, the preloaded http and fetch instrumentations) and the exported
 * span's `flags` carry it.
 */
export class RandomFlagTracer implements Tracer {
  constructor(private readonly tracer: Tracer) {}

  startSpan(name: string, options?: SpanOptions, ctx: Context = context.active()): Span {
    const span = this.tracer.startSpan(name, options, ctx);
    markRandom(span, options?.root ? undefined : trace.getSpanContext(ctx));
    return span;
  }

  startActiveSpan: Tracer['startActiveSpan'] = ((name: string, ...rest: unknown[]) => {
    const fn = rest.pop() as (span: Span) => unknown;
    const [options, ctx] = rest as [SpanOptions | undefined, Context | undefined];
    const parent = ctx ?? context.active();
    const span = this.startSpan(name, options, parent);
    return context.with(trace.setSpan(parent, span), fn, undefined, span);
  }) as Tracer['startActiveSpan'];
}

/** A provider whose tracers are {@link RandomFlagTracer}s over `provider`'s. */
export function withRandomTraceFlag(provider: TracerProvider): TracerProvider {
  return {
    getTracer: (name: string, version?: string, options?: TracerOptions) => new RandomFlagTracer(provider.getTracer(name, version, options)),
  };
}

function markRandom(span: Span, parent: SpanContext | undefined): void {
  const sc = span.spanContext();
  // Never the shared invalid context of a suppressed or no-op span.
  if ((sc.traceFlags & RANDOM_TRACE_FLAG) !== 0 || !isSpanContextValid(sc)) return;
  const continued = parent !== undefined && isSpanContextValid(parent) && parent.traceId === sc.traceId;
  if (continued && (parent.traceFlags & RANDOM_TRACE_FLAG) === 0) return;
  // The API has no way to set flags after sampling; the SDK's spans (and its non-recording
  // ones) keep the context object they were built with, so the flag is set on that object
  // (spec/contracts/otelSpanContext.spec.ts fails if a new SDK version copies it).
  sc.traceFlags |= RANDOM_TRACE_FLAG;
}
