import type { ErrorRequestHandler } from 'express';
import type { ObservabilityCore } from '../lib/createObservability';
import { contextOf } from './createRequestMiddleware';

/** Options of `obs.errorHandler()`. */
export interface ErrorHandlerOptions {
  /** Answer the request (true) or record the error and pass it on with `next(err)` (false). Default: true. */
  readonly respond?: boolean;
}

/**
 * Records an error on the request (span, access log, metrics read it when the
 * request finishes) and answers with a JSON body that never carries a stack trace;
 * messages of 5xx errors are hidden in production.
 */
export function createErrorHandler(obs: ObservabilityCore, options: ErrorHandlerOptions = {}): ErrorRequestHandler {
  const respond = options.respond ?? true;
  return function observabilityErrorHandler(err, req, res, next) {
    const context = contextOf(req);
    if (context) context.error = err;
    if (!respond) return next(err);
    if (res.headersSent) return next(err);
    const status = statusOf(err);
    const expose = status < 500 || !obs.config.production;
    res.status(status).json({
      error: expose && err instanceof Error ? err.message : status < 500 ? 'Bad Request' : 'Internal Server Error',
      ...(context ? { requestId: context.requestId } : {}),
    });
  };
}

function statusOf(err: unknown): number {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const s = e && typeof e === 'object' ? (e.status ?? e.statusCode) : undefined;
  return typeof s === 'number' && Number.isInteger(s) && s >= 400 && s <= 599 ? s : 500;
}
