import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { runWithRequestContext, type RequestContext } from '../lib/context';
import type { ObservabilityCore } from '../lib/createObservabilityCore';
import { UNMATCHED_ROUTE, type FinishedRequest } from '../lib/requestLifecycle';
import type { ServerSpanHandle } from '../lib/tracing/createTracing';
import { pickRequestId } from './requestId';
import { countBodies } from './bodyCounter';
import { followRoute } from './routeTemplate';

// A WeakMap rather than a property on `req`: Express has already swapped the request's
// prototype, and V8 then makes every new own property on it a slow map transition
// (about 2 us each, measured in bench/); a WeakMap entry costs a fraction of that.
const contexts = new WeakMap<IncomingMessage, RequestContext>();

/** The context the request middleware attached to `req`, if any. */
export function contextOf(req: IncomingMessage): RequestContext | undefined {
  return contexts.get(req);
}

/**
 * The one request middleware: request id and context, server span, RED metrics and
 * the access log, all recorded once when the response finishes or the client leaves.
 * Paths of the library's own routes are given an id and context but not recorded, and
 * answered here when `ownRoutes` is given.
 */
export function createRequestMiddleware(obs: ObservabilityCore, isExcluded: (path: string) => boolean, ownRoutes?: RequestHandler): RequestHandler {
  const { requestIdHeader, requestIdMaxLength } = obs.config;
  const { metrics, tracing, errors } = obs;
  // Read once: the pillars' consumers of the finished request, in the core's order.
  const consumers = obs.requestConsumers;
  const consumerCount = consumers.length;

  return function observabilityMiddleware(req: Request, res: Response, next: NextFunction): void {
    const url = req.url;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (contexts.has(req)) {
      // Inside an app mounted in another app with its own middleware: the outer one made the
      // context, follows the full route and records the request once; this one joins it.
      if (ownRoutes !== undefined && isExcluded(path)) ownRoutes(req, res, next);
      else next();
      return;
    }
    const context: RequestContext = {
      requestId: pickRequestId(req.headers[requestIdHeader], requestIdMaxLength),
      method: req.method,
      path,
      route: undefined,
      startTime: performance.now(),
    };
    contexts.set(req, context);
    res.setHeader(requestIdHeader, context.requestId);
    if (obs.state.shuttingDown) res.setHeader('Connection', 'close');
    if (isExcluded(path)) {
      // With `middleware({ routes: true })` the library's own routes are answered here.
      runWithRequestContext(context, ownRoutes === undefined ? next : () => ownRoutes(req, res, next));
      return;
    }

    // The route template with every mount path's template, followed as Express routes.
    followRoute(req, context);
    const bodies = countBodies(req, res);
    let handle: ServerSpanHandle | undefined;
    try {
      metrics?.requestStarted();
      handle = tracing.startServerSpan(req, context.method, path);
    } catch (e) {
      errors.report('middleware', e);
    }

    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      res.removeListener('finish', record);
      res.removeListener('close', record);
      try {
        const aborted = !res.writableFinished;
        const finished: FinishedRequest = {
          method: context.method,
          route: context.route ?? UNMATCHED_ROUTE,
          path,
          statusCode: aborted ? 499 : res.statusCode,
          aborted,
          durationSeconds: (performance.now() - context.startTime) / 1000,
          requestBytes: bodies.request,
          responseBytes: bodies.response,
          error: context.error,
          requestId: context.requestId,
          traceId: handle?.traceId,
          spanId: handle?.spanId,
          serverSpan: handle,
          req,
        };
        for (let i = 0; i < consumerCount; i++) {
          try {
            consumers[i]!(finished);
          } catch (e) {
            errors.report('middleware', e);
          }
        }
      } catch (e) {
        errors.report('middleware', e);
      }
    };
    // `on`, not `once`: record removes both listeners itself, and `once` would allocate a
    // wrapper per listener per request.
    res.on('finish', record);
    res.on('close', record);

    runWithRequestContext(context, next, handle?.context);
  };
}

