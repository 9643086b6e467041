import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Fixtures } from './fixtureTypes';
import { createHarness, type Harness } from './harness';

/** What @Traced records. */
export function tracedCases(f: Fixtures, h: () => Harness): void {
  describe(`@Traced (${f.standard})`, () => {
    it('names the span Class.method with code attributes, as a child of the active span', () => {
      const parent = h().obs.tracer.startSpan('request');
      context.with(trace.setSpan(context.active(), parent), () => new f.Calc(0).add(1, 1));
      parent.end();
      const [span, request] = h().spans();
      expect(span!.name).toBe('Calc.add');
      expect(span!.kind).toBe(SpanKind.INTERNAL);
      expect(span!.attributes).toMatchObject({ 'code.function.name': 'Calc.add', 'code.namespace': 'Calc' });
      expect(span!.parentSpanContext?.spanId).toBe(request!.spanContext().spanId);
      expect(span!.spanContext().traceId).toBe(request!.spanContext().traceId);
      expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('keeps the span active for everything the method calls, sync and async', async () => {
      await expect(new f.Calc(0).nested()).resolves.toBe(5);
      const spans = h().spans();
      const nested = spans.find((s) => s.name === 'Calc.nested')!;
      const children = spans.filter((s) => s.parentSpanContext?.spanId === nested.spanContext().spanId).map((s) => s.name);
      expect(children.sort()).toEqual(['Calc.add', 'Calc.addLater']);
      const addLater = spans.find((s) => s.name === 'Calc.addLater')!;
      const grandChild = spans.filter((s) => s.name === 'Calc.add' && s.parentSpanContext?.spanId === addLater.spanContext().spanId);
      expect(grandChild).toHaveLength(1);
    });

    it('records a thrown error with status ERROR and rethrows it', () => {
      const error = new RangeError('out of range');
      expect(() => new f.Calc(0).fail(error)).toThrow(error);
      const [span] = h().spans();
      expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'out of range' });
      expect(span!.events[0]!.name).toBe('exception');
      expect(span!.events[0]!.attributes).toMatchObject({ 'exception.type': 'RangeError', 'exception.message': 'out of range' });
    });

    it('records a rejection and a non-Error throw', async () => {
      await expect(new f.Calc(0).failLater('plain string')).rejects.toBe('plain string');
      const [span] = h().spans();
      expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'plain string' });
      expect(span!.events[0]!.attributes).toMatchObject({ 'exception.message': 'plain string' });
    });

    it('takes the given span name and attributes computed from the arguments', () => {
      new f.Options().find('order-7', { name: 'ann', password: 'pw' });
      const [span] = h().spans();
      expect(span!.name).toBe('orders.find');
      expect(span!.attributes).toMatchObject({ 'order.id': 'order-7', 'code.function.name': 'Options.find' });
    });

    it('reports a failing attribute function and still runs the method', () => {
      expect(new f.Options().broken('x')).toBe('x');
      expect(h().spans().map((s) => s.name)).toEqual(['Options.broken']);
      expect(h().reported).toEqual([{ source: 'decorator', error: expect.objectContaining({ message: 'attribute function failed' }) }]);
    });

    it('lets the method run untouched when the instance has tracing turned off', async () => {
      const off = createHarness({ tracing: false }, false);
      try {
        const Explicit = f.explicit(off.obs);
        expect(new Explicit().run()).toBe('ran');
        expect(off.spans()).toEqual([]);
        expect(off.logs.entries.map((e) => e.message)).toEqual(['Explicit.run called', 'Explicit.run succeeded']);
        expect(off.reported).toEqual([]);
      } finally {
        await off.close();
      }
    });

    it('stacking order: the top decorator is outermost, so Logged below Traced logs inside the span', () => {
      const ordered = new f.Ordered();
      ordered.tracedOutside();
      const tracedSpan = h().spans()[0]!;
      expect(h().logs.activeSpanIds).toEqual([tracedSpan.spanContext().spanId, tracedSpan.spanContext().spanId]);
      for (const line of h().logs.entries) {
        expect(line).toMatchObject({ trace_id: tracedSpan.spanContext().traceId, span_id: tracedSpan.spanContext().spanId });
      }
      ordered.loggedOutside();
      expect(h().spans()).toHaveLength(2);
      expect(h().logs.activeSpanIds.slice(2)).toEqual([undefined, undefined]);
      expect(h().logs.entries.slice(2).map((line) => line.trace_id)).toEqual([undefined, undefined]);
    });
  });
}
