import { INVALID_SPAN_CONTEXT, trace, type Context, type Span } from '@opentelemetry/api';

/**
 * A context that adds one value to its parent without copying it. OpenTelemetry's own
 * contexts copy their parent's whole map and make three closures on every `setValue`, which
 * for a decorated method costs more than the rest of the span bookkeeping outside the SDK;
 * this one is a single object and reads through to its parent. It implements the whole
 * `Context` interface, so everything that reads or extends it (propagators, instrumentations,
 * `trace.getSpan`) works unchanged.
 */
export class ChildContext implements Context {
  constructor(
    private readonly parent: Context,
    private readonly key: symbol,
    /** The value this context adds (the span, for the ones {@link withSpan} makes). */
    readonly value: unknown,
  ) {}

  getValue(key: symbol): unknown {
    // A loop rather than recursion: a deep chain (recursive traced methods) costs no stack.
    if (this.key === key) return this.value;
    let c = this.parent;
    while (c instanceof ChildContext) {
      if (c.key === key) return c.value;
      c = c.parent;
    }
    return c.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return new ChildContext(this, key, value);
  }

  deleteValue(key: symbol): Context {
    // Reads as unset, as a deleted key of OpenTelemetry's contexts does.
    return new ChildContext(this, key, undefined);
  }
}

/**
 * The key `trace.setSpan` stores the span under, learnt once from the API itself rather than
 * from its private description string; undefined if the API ever stops using `setValue`.
 */
const SPAN_KEY: symbol | undefined = (() => {
  let key: symbol | undefined;
  const probe: Context = {
    getValue: () => undefined,
    setValue(k) {
      key = k;
      return probe;
    },
    deleteValue: () => probe,
  };
  trace.setSpan(probe, trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  return key;
})();
const OWN_KEY = Symbol('express-observability.decoratorSpan');

/** `trace.setSpan(parent, span)`, as a {@link ChildContext} whose `value` is the span. */
export function withSpan(parent: Context, span: Span): ChildContext {
  return SPAN_KEY !== undefined
    ? new ChildContext(parent, SPAN_KEY, span)
    : new ChildContext(trace.setSpan(parent, span), OWN_KEY, span);
}
