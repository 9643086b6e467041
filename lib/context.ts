import { AsyncLocalStorage } from 'node:async_hooks';

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

// One store for the process: a request served through one instance is still the
// current request for loggers and decorators bound to another instance.
const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served, or `undefined` outside a request. */
export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `fn` with `context` as the current request context. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}
