import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ObservabilityCore } from '../lib/createObservability';
import { createHealthHandlers, type OwnRouteHandler } from './createHealthHandlers';
import { createInfoHandler } from './createInfoHandler';
import { createMetricsHandler } from './createMetricsHandler';

/**
 * The library's own routes (health, metrics, info) as one handler that looks the
 * path up in a map: no router of its own, so it mounts on Express 4 and 5 alike.
 * Only GET and HEAD are answered; query strings are ignored.
 */
export function createRoutes(obs: ObservabilityCore): RequestHandler {
  const routes = ownRoutes(obs);
  return function observabilityRoutes(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const handler = routes.get(req.path);
    if (!handler) return next();
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((e: unknown) => {
        obs.reportError('middleware', e);
        if (!res.headersSent) res.status(500).setHeader('Cache-Control', 'no-store').json({ status: 'unhealthy' });
      });
  };
}

/** Path → handler for every route the library serves. */
export function ownRoutes(obs: ObservabilityCore): Map<string, OwnRouteHandler> {
  const routes = createHealthHandlers(obs);
  if (obs.metrics) routes.set(obs.config.metrics.path, createMetricsHandler(obs));
  if (obs.config.infoPath) routes.set(obs.config.infoPath, createInfoHandler(obs));
  return routes;
}
