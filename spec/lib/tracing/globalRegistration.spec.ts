import { context, propagation, trace } from '@opentelemetry/api';
import { closeAll } from '../../helpers/testObservability';
import { tracedObservability } from '../../fixtures/tracingApp';

afterEach(closeAll);

function globalSpan(name: string): void {
  trace.getTracer('third-party-library').startSpan(name).end();
}

describe('OpenTelemetry globals', () => {
  it('are not touched by an instance with global: false', () => {
    const { obs, spans } = tracedObservability({}, { global: false });
    expect(obs.tracing.registeredGlobal).toBe(false);
    globalSpan('from a library');
    expect(spans()).toHaveLength(0);
  });

  it('the first instance that asks holds them: spans of libraries using the OTel API and the W3C propagator', () => {
    const first = tracedObservability({}, { global: true });
    const second = tracedObservability({ registerGlobal: true });
    expect(first.obs.tracing.registeredGlobal).toBe(true);
    expect(second.obs.tracing.registeredGlobal).toBe(false);

    globalSpan('from a library');
    expect(first.spans().map((s) => s.name)).toEqual(['from a library']);
    expect(second.spans()).toHaveLength(0);

    const span = first.obs.tracer.startSpan('outgoing');
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), headers);
    span.end();
    // A new trace: sampled and random (W3C Level 2).
    expect(headers.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-03`);
  });

  it('are given back at shutdown, so a later instance can hold them', async () => {
    const first = tracedObservability({}, { global: true });
    expect(first.obs.tracing.registeredGlobal).toBe(true);
    await first.obs.shutdown();
    globalSpan('after shutdown');
    expect(first.spans()).toHaveLength(0);

    const next = tracedObservability({}, { global: true });
    expect(next.obs.tracing.registeredGlobal).toBe(true);
    globalSpan('to the next one');
    expect(next.spans().map((s) => s.name)).toEqual(['to the next one']);
  });

  it('each instance traces into its own provider whatever the globals', () => {
    const a = tracedObservability({}, { global: true, serviceName: 'a' });
    const b = tracedObservability({}, { global: false, serviceName: 'b' });
    a.obs.tracer.startSpan('in a').end();
    b.obs.tracer.startSpan('in b').end();
    expect(a.spans().map((s) => s.name)).toEqual(['in a']);
    expect(b.spans().map((s) => s.name)).toEqual(['in b']);
  });
});
