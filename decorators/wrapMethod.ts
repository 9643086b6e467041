import type { ObservabilityCore } from '../lib/createObservabilityCore';
import { getGlobalObservability } from '../lib/globalObservability';
import { copyFunctionIdentity } from './copyFunctionIdentity';
import { timeAsyncGenerator } from './timeAsyncGenerator';
import { timeThenable } from './timeThenable';

/** Any function; the wrapper forwards `this` and arguments untouched. */
export type AnyFunction = (this: any, ...args: any[]) => any;

/** Where a decorated method lives. Resolved once per method, before its first instrumented call. */
export interface MethodSite {
  readonly className: string;
  readonly methodName: string;
  readonly isStatic: boolean;
}

/**
 * What one decorator records around a call. `H` holds what is built once per observability
 * instance and method (names, metric children); `S` is the per-call state (a span, a start time).
 */
export interface Instrumentation<H, S> {
  /** `Traced`, `Metered` or `Logged`: named in errors, and marks wrappers against double wrapping. */
  readonly kind: string;
  /**
   * Once per instance and method. `undefined` (the pillar is off) or a throw (reported) leaves the
   * method untouched for that instance.
   */
  prepare(obs: ObservabilityCore, site: MethodSite): H | undefined;
  /** Before the call. */
  enter(handles: H, self: unknown, args: readonly unknown[]): S;
  /** Runs `fn` (the method, or a step of its async generator); tracing makes its span active here. */
  run?(handles: H, state: S, fn: AnyFunction, self: unknown, args: readonly unknown[]): unknown;
  /** Once the call has returned, settled or finished iterating. */
  exit(handles: H, state: S, failed: boolean, valueOrError: unknown): void;
}

/** Returns the site of a call; instance methods under TC39 decorators learn their class from `this`. */
export type SiteResolver = (self: unknown, wrapped: AnyFunction) => MethodSite;

/** Marks a wrapper: the kinds of instrumentation it and the wrappers inside it carry, and what it wraps. */
export const WRAPPED = Symbol('express-observability.wrapped');

interface WrapperMark {
  readonly kinds: ReadonlySet<string>;
  readonly original: AnyFunction;
  /** The innermost function is an `async *` method: stacked wrappers time its iteration too. */
  readonly generator: boolean;
}

/** The kinds already wrapped around `fn` by our decorators. */
export function wrappedKinds(fn: unknown): ReadonlySet<string> | undefined {
  return (fn as { [WRAPPED]?: WrapperMark } | undefined)?.[WRAPPED]?.kinds;
}

/** The function `fn` wraps, when it is one of our wrappers. */
export function unwrapOnce(fn: unknown): AnyFunction | undefined {
  return (fn as { [WRAPPED]?: WrapperMark } | undefined)?.[WRAPPED]?.original;
}

const SKIP = Symbol('skip');

/**
 * The one shared wrapper. Looks the instance up at call time (explicit, else global); with none
 * the method runs untouched. Sync stays sync; a native promise is returned as is and timed until it
 * settles; other thenables are timed from their first `then`; async generator methods are timed until
 * they finish. The method's return value and thrown error pass through unchanged; telemetry failures
 * go to `reportError('decorator', ...)`.
 */
export function wrapMethod<H, S>(
  original: AnyFunction,
  resolveSite: SiteResolver,
  instrumentation: Instrumentation<H, S>,
  explicit: ObservabilityCore | undefined,
): AnyFunction {
  const cache = new WeakMap<ObservabilityCore, H | typeof SKIP>();
  const isGenerator =
    Object.prototype.toString.call(original) === '[object AsyncGeneratorFunction]' ||
    (original as { [WRAPPED]?: WrapperMark })[WRAPPED]?.generator === true;

  function prepare(obs: ObservabilityCore, self: unknown): H | typeof SKIP {
    let handles: H | typeof SKIP;
    try {
      handles = instrumentation.prepare(obs, resolveSite(self, wrapped)) ?? SKIP;
    } catch (e) {
      obs.reportError('decorator', e);
      handles = SKIP;
    }
    cache.set(obs, handles);
    return handles;
  }

  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const obs = explicit ?? getGlobalObservability();
    if (obs === undefined) return original.apply(this, args);
    let handles = cache.get(obs);
    if (handles === undefined) handles = prepare(obs, this);
    if (handles === SKIP) return original.apply(this, args);
    return invoke(obs, instrumentation, handles, original, this, args, isGenerator);
  };
  copyFunctionIdentity(original, wrapped);
  const kinds = new Set(wrappedKinds(original));
  kinds.add(instrumentation.kind);
  Object.defineProperty(wrapped, WRAPPED, { value: { kinds, original, generator: isGenerator } satisfies WrapperMark });
  return wrapped;
}

function invoke<H, S>(
  obs: ObservabilityCore,
  instrumentation: Instrumentation<H, S>,
  handles: H,
  original: AnyFunction,
  self: unknown,
  args: unknown[],
  isGenerator: boolean,
): unknown {
  let state: S;
  try {
    state = instrumentation.enter(handles, self, args);
  } catch (e) {
    obs.reportError('decorator', e);
    return original.apply(self, args);
  }
  let result: unknown;
  try {
    result = instrumentation.run === undefined ? original.apply(self, args) : instrumentation.run(handles, state, original, self, args);
  } catch (error) {
    finish(obs, instrumentation, handles, state, true, error);
    throw error;
  }
  if (isGenerator) {
    const run = instrumentation.run;
    return timeAsyncGenerator(
      result as AsyncGenerator,
      run === undefined ? undefined : (fn, gen, genArgs) => run(handles, state, fn, gen, genArgs),
      (failed, value) => finish(obs, instrumentation, handles, state, failed, value),
    );
  }
  if (result instanceof Promise) {
    // Our branch handles the rejection; the caller's promise and its (un)handled state are untouched.
    result.then(
      (value) => finish(obs, instrumentation, handles, state, false, value),
      (error) => finish(obs, instrumentation, handles, state, true, error),
    );
    return result;
  }
  if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof (result as PromiseLike<unknown>).then === 'function') {
    return timeThenable(result as PromiseLike<unknown>, (failed, value) => finish(obs, instrumentation, handles, state, failed, value));
  }
  finish(obs, instrumentation, handles, state, false, result);
  return result;
}

function finish<H, S>(obs: ObservabilityCore, instrumentation: Instrumentation<H, S>, handles: H, state: S, failed: boolean, value: unknown): void {
  try {
    instrumentation.exit(handles, state, failed, value);
  } catch (e) {
    obs.reportError('decorator', e);
  }
}
