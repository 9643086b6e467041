import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  InMemorySpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { contract, installed } from './contract';

/*
 * lib/tracing/RandomFlagTracer.ts sets the W3C Level 2 random flag (0x02) on the context
 * object a span was started with, because the SDK's tracer sets flags from the sampling
 * decision alone and the API has no setter. That relies on the SDK's spans, recording or
 * not, handing out the same context object from every spanContext() call and reading it
 * when they are exported and propagated.
 */
const SDK = installed('@opentelemetry/sdk-trace', '@opentelemetry/sdk-trace-node');
const USED_BY = 'lib/tracing/RandomFlagTracer.ts';
const RANDOM = 0x02;

function provider(sampled: boolean) {
  const exporter = new InMemorySpanExporter();
  const p = new NodeTracerProvider({
    sampler: new ParentBasedSampler({ root: sampled ? new AlwaysOnSampler() : new AlwaysOffSampler() }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { tracer: p.getTracer('contract'), exporter };
}

it('a recording span hands out one context object, read again at export and by the propagator', async () => {
  await contract(SDK, 'Span#spanContext() (one object per span, read at export)', USED_BY, () => {
    const { tracer, exporter } = provider(true);
    const span = tracer.startSpan('s');
    expect(span.spanContext()).toBe(span.spanContext());
    span.spanContext().traceFlags |= RANDOM;
    const headers: Record<string, string> = {};
    new W3CTraceContextPropagator().inject(trace.setSpan(ROOT_CONTEXT, span), headers, { set: (c, k, v) => ((c as Record<string, string>)[k] = v) });
    span.end();
    expect(headers.traceparent).toMatch(/-03$/);
    expect(exporter.getFinishedSpans()[0]!.spanContext().traceFlags).toBe(TraceFlags.SAMPLED | RANDOM);
  });
});

it('a non-recording span (not sampled) hands out one context object too', async () => {
  await contract(SDK, "the non-recording span's spanContext()", USED_BY, () => {
    const { tracer } = provider(false);
    const span = tracer.startSpan('s');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toBe(span.spanContext());
  });
});

it('the SDK still drops the random flag itself (when this fails, the SDK does Level 2 and RandomFlagTracer can go)', async () => {
  await contract(SDK, 'Tracer#startSpan trace flags (sampling decision only)', USED_BY, () => {
    const { tracer } = provider(true);
    const remote = new W3CTraceContextPropagator().extract(ROOT_CONTEXT, { traceparent: '00-12345678901234567890123456789012-1234567890123456-03' }, {
      get: (c, k) => (c as Record<string, string>)[k],
      keys: (c) => Object.keys(c as object),
    });
    expect(trace.getSpanContext(remote)?.traceFlags).toBe(0x03);
    expect(tracer.startSpan('child', {}, remote).spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
  });
});
