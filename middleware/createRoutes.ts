import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ObservabilityCore } from '../lib/createObservabilityCore';
import { createConsoleHandlers } from './console/createConsoleHandlers';
import { createHealthHandlers, type OwnRouteHandler } from './createHealthHandlers';
import { createInfoHandler } from './createInfoHandler';
import { createLoggersHandler, kAcceptsWrites } from './createLoggersHandler';
import { createMetricsHandler } from './createMetricsHandler';
import { createTracesHandler } from './createTracesHandler';

/**
 * The library's own routes (health, metrics, info) as one handler that looks the
 * path up in a map: no router of its own, so it mounts on Express 4 and 5 alike.
 * Only GET and HEAD are answered (the loggers route takes POST and DELETE too); query
 * strings are ignored.
 */
export function createRoutes(obs: ObservabilityCore, management = false): RequestHandler {
  const routes = ownRoutes(obs, management);
  const prefixes = prefixesOf(routes);
  return function observabilityRoutes(req: Request, res: Response, next: NextFunction): void {
    const handler = routes.get(req.path) ?? (prefixes.length === 0 ? undefined : prefixRoute(routes, prefixes, req.path));
    if (!handler || (req.method !== 'GET' && req.method !== 'HEAD' && !(kAcceptsWrites in handler))) return next();
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((e: unknown) => {
        obs.reportError('middleware', e);
        if (!res.headersSent) res.status(500).setHeader('Cache-Control', 'no-store').json({ status: 'unhealthy' });
      });
  };
}

/**
 * Path → handler for every route the library serves. With a `management` port, the
 * metrics route is served only on the management server (`management: true`).
 */
export function ownRoutes(obs: ObservabilityCore, management = false): Map<string, OwnRouteHandler> {
  const routes = createHealthHandlers(obs);
  if (obs.metrics && (management || obs.config.management === undefined)) {
    routes.set(obs.config.metrics.path, createMetricsHandler(obs));
  }
  if (obs.config.infoPath) routes.set(obs.config.infoPath, createInfoHandler(obs));
  for (const [path, handler] of createTracesHandler(obs)) routes.set(path, handler);
  for (const [path, handler] of createLoggersHandler(obs)) routes.set(path, handler);
  // Last: its `{path}/*` prefix is looked up after the more specific trace-by-id prefix.
  for (const [path, handler] of createConsoleHandlers(obs)) routes.set(path, handler);
  return routes;
}

/**
 * True for paths the library's own routes answer: the request middleware gives them a
 * request id and context but records no metrics, span or access-log line for them.
 */
export function ownPathMatcher(obs: ObservabilityCore): (path: string) => boolean {
  const routes = ownRoutes(obs);
  const prefixes = prefixesOf(routes);
  return (path) => routes.has(path) || (prefixes.length > 0 && prefixRoute(routes, prefixes, path) !== undefined);
}

// A key ending in `/*` answers every path under it (the trace-by-id route).
function prefixesOf(routes: Map<string, OwnRouteHandler>): string[] {
  return [...routes.keys()].filter((p) => p.endsWith('/*')).map((p) => p.slice(0, -1));
}

function prefixRoute(routes: Map<string, OwnRouteHandler>, prefixes: string[], path: string): OwnRouteHandler | undefined {
  for (const prefix of prefixes) {
    if (path.length > prefix.length && path.startsWith(prefix)) return routes.get(`${prefix}*`);
  }
  return undefined;
}
