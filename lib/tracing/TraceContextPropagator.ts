import type { Context, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * OTel's W3C `traceparent`/`tracestate` propagator, except that it never sends an empty
 * `tracestate` header: OTel's writes `tracestate: ` when the incoming one had no valid member
 * (W3C: "vendors MUST NOT send an empty tracestate header"; the test suite's empty-header case).
 */
export class TraceContextPropagator implements TextMapPropagator {
  private readonly inner = new W3CTraceContextPropagator();

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    this.inner.inject(ctx, carrier, {
      set(c, key, value) {
        if (key === 'tracestate' && value === '') return;
        setter.set(c, key, value);
      },
    });
  }

  extract(ctx: Context, carrier: unknown, getter: Parameters<TextMapPropagator['extract']>[2]): Context {
    return this.inner.extract(ctx, carrier, getter);
  }

  fields(): string[] {
    return this.inner.fields();
  }
}
