import { context, SpanKind, SpanStatusCode, type Attributes, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { assertOption } from '../lib/configError';
import type { ObservabilityCore } from '../lib/createObservabilityCore';
import { recordSafeException } from '../lib/tracing/recordSafeException';
import { createDecorator, type MethodOrClassDecorator } from './createDecorator';
import { withSpan, type ChildContext } from './spanContext';
import type { AnyFunction, Instrumentation } from './wrapMethod';

/** Options of {@link Traced}. */
export interface TracedOptions {
  /** Span name. Default: `ClassName.methodName`. */
  readonly name?: string;
  /** Span kind. Default: `SpanKind.INTERNAL`. */
  readonly kind?: SpanKind;
  /**
   * Extra span attributes computed from the call's arguments (`this` is the instance). Keep them
   * low in size and free of secrets. A throw is reported through `onError`, never thrown.
   * Default: none.
   */
  readonly attributes?: (this: any, ...args: any[]) => Attributes | undefined;
  /** The instance to use instead of the global one (read at call time). Default: the global instance. */
  readonly instance?: ObservabilityCore;
}

interface TracedHandles {
  readonly tracer: Tracer;
  readonly name: string;
  readonly spanOptions: SpanOptions;
  /** `code.function.name` (`ClassName.methodName`) and `code.namespace`. */
  readonly qualified: string;
  readonly namespace: string;
  readonly attributes: TracedOptions['attributes'];
  readonly obs: ObservabilityCore;
}

/**
 * Wraps a method (or every method of a class) in a span named `ClassName.methodName`, child of the
 * active span and active for everything the method calls. Attributes follow OpenTelemetry's code
 * conventions: `code.function.name` (`ClassName.methodName`) and `code.namespace` (`ClassName`).
 * A thrown or rejected error is recorded on the span (its safe description, lib/safeError.ts) with
 * its `error.type` (lib/errorType.ts) and status ERROR, and rethrown unchanged.
 */
export function Traced(options: TracedOptions = {}): MethodOrClassDecorator {
  if (options.name !== undefined) assertOption.nonEmptyString('@Traced({ name })', options.name);
  if (options.attributes !== undefined) assertOption.func('@Traced({ attributes })', options.attributes);
  const kind = options.kind ?? SpanKind.INTERNAL;
  // Built once: the SDK copies the options' attributes twice per span, setting them once on the span is cheaper.
  const spanOptions: SpanOptions = { kind };
  // The per-call state is the span's context (a parent read once, extended without a copy); its value is the span.
  const instrumentation: Instrumentation<TracedHandles, ChildContext> = {
    kind: 'Traced',
    prepare: (obs, site) => {
      // Tracing off: no span to start or propagate, so the method runs untouched.
      if (!obs.tracing.enabled) return undefined;
      const qualified = `${site.className}.${site.methodName}`;
      return { tracer: obs.tracer, name: options.name ?? qualified, spanOptions, qualified, namespace: site.className, attributes: options.attributes, obs };
    },
    enter: (h, self, args) => {
      const parent = context.active();
      const span = h.tracer.startSpan(h.name, h.spanOptions, parent);
      span.setAttribute('code.function.name', h.qualified);
      span.setAttribute('code.namespace', h.namespace);
      if (h.attributes !== undefined) addUserAttributes(h, span, self, args);
      return withSpan(parent, span);
    },
    run: (_h, ctx, fn: AnyFunction, self, args) => context.with(ctx, Reflect.apply, undefined, fn, self, args),
    exit: (_h, ctx, failed, valueOrError) => {
      const span = ctx.value as Span;
      if (failed) {
        // The safe description, not the error: a JSON.parse error quotes the body it parsed.
        const safe = recordSafeException(span, valueOrError);
        span.setAttribute(ATTR_ERROR_TYPE, safe.type); // errorType(), as on every signal
        span.setStatus({ code: SpanStatusCode.ERROR, message: safe.message });
      }
      span.end();
    },
  };
  return createDecorator(instrumentation, options.instance);
}

function addUserAttributes(h: TracedHandles, span: Span, self: unknown, args: readonly unknown[]): void {
  try {
    const attributes = Reflect.apply(h.attributes!, self, args) as Attributes | undefined;
    if (attributes) span.setAttributes(attributes);
  } catch (e) {
    h.obs.reportError('decorator', e);
  }
}
