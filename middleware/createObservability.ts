import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ObservabilityOptions } from '../lib/config';
import { createObservabilityCore, type ObservabilityCore } from '../lib/createObservabilityCore';
import { holdBodyCounting } from './bodyCounter';
import { createErrorHandler, type ErrorHandlerOptions } from './createErrorHandler';
import { startManagementServer, type ManagementServer } from './createManagementServer';
import { createRequestMiddleware } from './createRequestMiddleware';
import { createRoutes, ownPathMatcher } from './createRoutes';
import { assertOption, ObservabilityConfigError } from '../lib/configError';

/** Options of {@link Observability.middleware}. */
export interface MiddlewareOptions {
  /**
   * Also serve the health, metrics and info routes from this middleware (default false:
   * mount `obs.routes()` where they belong, for example behind your own auth middleware).
   */
  readonly routes?: boolean;
}

/** An observability instance: the core plus its Express surface. */
export interface Observability extends ObservabilityCore {
  /**
   * Request id, context, server span, RED metrics and access log. Mount first. With
   * `{ routes: true }` it also answers the library's own routes, so `routes()` is not
   * needed and every other request passes one Express layer fewer.
   */
  middleware(options?: MiddlewareOptions): RequestHandler;
  /** Health, metrics and info routes. */
  routes(): RequestHandler;
  /** Records the error on span, log and metrics, and answers without a stack trace. Mount last. */
  errorHandler(options?: ErrorHandlerOptions): ErrorRequestHandler;
  /** The management server (health and metrics on their own port), when `management` is set. */
  readonly management: ManagementServer | undefined;
}

/**
 * Creates one observability instance. Options are resolved and validated here:
 * a bad option throws an error naming it, its value and what is accepted.
 */
export function createObservability(options?: ObservabilityOptions): Observability {
  const core = createObservabilityCore(options);
  const management = startManagementServer(core);
  let middleware: RequestHandler | undefined;
  let servingMiddleware: RequestHandler | undefined;
  let routes: RequestHandler | undefined;
  const ownRoutes = (): RequestHandler => (routes ??= createRoutes(core));
  // The first middleware holds the response-byte counting (a ServerResponse.prototype patch); shutdown releases it.
  let releaseBodies: (() => void) | undefined;
  const holdBodies = (): void => {
    if (releaseBodies !== undefined || core.state.shuttingDown) return;
    releaseBodies = holdBodyCounting();
    core.onShutdown(releaseBodies);
  };
  return Object.assign(core, {
    middleware(middlewareOptions?: MiddlewareOptions) {
      if (middlewareOptions !== undefined && (typeof middlewareOptions !== 'object' || middlewareOptions === null)) {
        throw new ObservabilityConfigError('middleware(options)', middlewareOptions, 'an object such as { routes: true }, or nothing');
      }
      const routesOption = middlewareOptions?.routes === undefined ? false : assertOption.boolean('middleware({ routes })', middlewareOptions.routes);
      holdBodies();
      if (routesOption) return (servingMiddleware ??= createRequestMiddleware(core, ownPathMatcher(core), ownRoutes()));
      return (middleware ??= createRequestMiddleware(core, ownPathMatcher(core)));
    },
    routes: ownRoutes,
    management,
    errorHandler: (errorOptions?: ErrorHandlerOptions) => createErrorHandler(core, errorOptions),
  });
}
