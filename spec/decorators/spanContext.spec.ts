import { context, createContextKey, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { Traced } from '../../decorators/Traced';
import { withSpan } from '../../decorators/spanContext';
import { closeAll, testObservability } from '../helpers/testObservability';

afterEach(closeAll);

const A = createContextKey('a');
const B = createContextKey('b');

describe('the span context of decorated methods', () => {
  it('reads, adds and deletes values as OpenTelemetry contexts do', () => {
    const { obs } = testObservability({ tracing: { exporter: new InMemorySpanExporter(), processor: 'simple' } });
    const span = obs.tracer.startSpan('s');
    const parent = ROOT_CONTEXT.setValue(A, 1);
    const ours = withSpan(parent, span);
    const theirs = trace.setSpan(parent, span);
    for (const c of [ours, theirs]) {
      expect(trace.getSpan(c)).toBe(span);
      expect(c.getValue(A)).toBe(1);
      expect(c.setValue(B, 2).getValue(B)).toBe(2);
      expect(c.setValue(A, 3).getValue(A)).toBe(3);
      expect(c.deleteValue(A).getValue(A)).toBeUndefined();
      expect(trace.getSpan(trace.deleteSpan(c))).toBeUndefined();
      expect(c.getValue(B)).toBeUndefined();
    }
    expect(parent.getValue(B)).toBeUndefined();
    span.end();
  });

  it('propagates the method span and the caller baggage to what the method calls', () => {
    const { obs } = testObservability({ tracing: { exporter: new InMemorySpanExporter(), processor: 'simple' } });
    class Client {
      @Traced({ instance: obs })
      call(): Record<string, string> {
        const headers: Record<string, string> = {};
        obs.tracing.injectHeaders(headers);
        return { ...headers, active: trace.getActiveSpan()!.spanContext().spanId };
      }
    }
    const baggage = propagation.createBaggage({ tenant: { value: 't1' } });
    const headers = context.with(propagation.setBaggage(context.active(), baggage), () => new Client().call());
    expect(headers.traceparent).toContain(headers.active);
    expect(headers.baggage).toBe('tenant=t1');
  });
});
