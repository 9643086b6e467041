import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ObservabilityOptions } from '../lib/config';
import { createObservabilityCore, type ObservabilityCore } from '../lib/createObservability';
import { createErrorHandler, type ErrorHandlerOptions } from './createErrorHandler';
import { startManagementServer } from './createManagementServer';
import { createRequestMiddleware } from './createRequestMiddleware';
import { createRoutes, ownPathMatcher } from './createRoutes';

/** An observability instance: the core plus its Express surface. */
export interface Observability extends ObservabilityCore {
  /** Request id, context, server span, RED metrics and access log. Mount first. */
  middleware(): RequestHandler;
  /** Health, metrics and info routes. */
  routes(): RequestHandler;
  /** Records the error on span, log and metrics, and answers without a stack trace. Mount last. */
  errorHandler(options?: ErrorHandlerOptions): ErrorRequestHandler;
}

/**
 * Creates one observability instance. Options are resolved and validated here:
 * a bad option throws an error naming it, its value and what is accepted.
 */
export function createObservability(options?: ObservabilityOptions): Observability {
  const core = createObservabilityCore(options);
  startManagementServer(core);
  let middleware: RequestHandler | undefined;
  let routes: RequestHandler | undefined;
  return Object.assign(core, {
    middleware() {
      middleware ??= createRequestMiddleware(core, ownPathMatcher(core));
      return middleware;
    },
    routes() {
      routes ??= createRoutes(core);
      return routes;
    },
    errorHandler: (errorOptions?: ErrorHandlerOptions) => createErrorHandler(core, errorOptions),
  });
}
