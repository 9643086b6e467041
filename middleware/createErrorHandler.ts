import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { ObservabilityCore } from '../lib/createObservabilityCore';
import { safeError, type SafeError } from '../lib/safeError';
import { contextOf } from './createRequestMiddleware';

/** Options of `obs.errorHandler()`. */
export interface ErrorHandlerOptions {
  /** Answer the request (true) or record the error and pass it on with `next(err)` (false). Default: true. */
  readonly respond?: boolean;
}

/**
 * Records an error on the request (span, access log, metrics read it when the
 * request finishes) and answers with a JSON body that never carries a stack trace or
 * input a parser quoted. In production a 4xx shows its message only when the error
 * says it is meant for the client (`expose: true`, as http-errors and body-parser set
 * it); every other answer there is the status text.
 */
export function createErrorHandler(
  obs: ObservabilityCore,
  options: ErrorHandlerOptions = {},
): ErrorRequestHandler {
  const respond = options.respond ?? true;
  return function observabilityErrorHandler(err, req, res, next) {
    const context = contextOf(req);
    if (context) context.error = err;
    if (!respond) return next(err);
    if (res.headersSent) return next(err);
    const safe = safeError(err);
    const status = safe.status ?? 500;
    res.status(status).json({
      error: shownMessage(safe, status, obs.config.production),
      ...(context ? { requestId: context.requestId } : {}),
    });
  };
}

function shownMessage(safe: SafeError, status: number, production: boolean): string {
  // An unmarked 4xx may still name internals (`user 42 not in tenant 7`): production shows only what is marked.
  const shown = production ? status < 500 && safe.expose : safe.isError;
  if (shown && safe.message !== '') return safe.message;
  return STATUS_CODES[status] ?? (status < 500 ? 'Bad Request' : 'Internal Server Error');
}
