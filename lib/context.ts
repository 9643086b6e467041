import { AsyncLocalStorage } from 'node:async_hooks';
import { context as otelContext, createContextKey, ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/**
 * What the library knows about the request being served. One object per request,
 * created by the request middleware and read by logging, metrics and decorators.
 */
export interface RequestContext {
  /** The request id: a sane incoming `x-request-id`, else a new UUID. */
  readonly requestId: string;
  /** HTTP method, upper case. */
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Route template (`/api/users/:id`) once Express matched a route; unset before. */
  route?: string;
  /** `performance.now()` when the request arrived. */
  readonly startTime: number;
  /** The error that reached the error handler, if any. */
  error?: unknown;
}

const REQUEST_KEY = createContextKey('express-observability.request');

// One store for the process: a request served through one instance is still the current
// request for loggers and decorators bound to another instance. It holds OpenTelemetry
// contexts with the request context as one of their values, so that when the library
// installs OpenTelemetry's context manager (see createSharedContextManager) the trace
// context and the request context live in one AsyncLocalStorage: one `run` per request
// and one store copied into every async resource, instead of two.
const storage = new AsyncLocalStorage<Context>();

// True while OpenTelemetry's global context manager is the one reading `storage`.
let shared = false;

/** The context of the request being served, or `undefined` outside a request. */
export function getRequestContext(): RequestContext | undefined {
  return storage.getStore()?.getValue(REQUEST_KEY) as RequestContext | undefined;
}

/**
 * Runs `fn` with `request` as the current request context and, when given, `trace` as the
 * active OpenTelemetry context (the server span's).
 */
export function runWithRequestContext<T>(request: RequestContext, fn: () => T, trace?: Context): T {
  if (trace === undefined) return runInStore(storage.getStore() ?? ROOT_CONTEXT, request, fn);
  if (shared) return runInStore(trace, request, fn);
  // Another context manager holds the OpenTelemetry context: one run in each store.
  return otelContext.with(trace, () => runInStore(storage.getStore() ?? ROOT_CONTEXT, request, fn));
}

function runInStore<T>(base: Context, request: RequestContext, fn: () => T): T {
  return storage.run(base.setValue(REQUEST_KEY, request), fn);
}

/**
 * OpenTelemetry's AsyncLocalStorage context manager reading and writing the library's own
 * store (its `bind` for functions and event emitters comes from the parent class and goes
 * through `with`). Disabling it leaves the store alone, since request contexts live there
 * too, and makes the library use two stores again.
 */
class SharedContextManager extends AsyncLocalStorageContextManager {
  override active(): Context {
    return storage.getStore() ?? ROOT_CONTEXT;
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const cb = thisArg == null ? fn : (fn.bind(thisArg) as F);
    return storage.run(context, cb, ...args);
  }

  // Experimental in OpenTelemetry: makes `context` active for the rest of the current
  // execution chain; the token puts the previous one back.
  override attach(context: Context): ReturnType<AsyncLocalStorageContextManager['attach']> {
    const previous = storage.getStore();
    storage.enterWith(context);
    let disposed = false;
    return {
      dispose() {
        if (disposed) return;
        disposed = true;
        storage.enterWith(previous ?? ROOT_CONTEXT);
      },
    } as ReturnType<AsyncLocalStorageContextManager['attach']>;
  }

  override enable(): this {
    shared = true;
    return this;
  }

  override disable(): this {
    shared = false;
    return this;
  }
}

/** A context manager for `context.setGlobalContextManager` that shares the request context's store. */
export function createSharedContextManager(): ContextManager {
  return new SharedContextManager();
}
