import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ObservabilityCore } from '../lib/createObservabilityCore';
import type { OwnRouteHandler } from './createHealthHandlers';

/**
 * `GET /metrics`: the instance's registry in the format the scraper asks for (OpenMetrics
 * when `Accept` names it, else Prometheus text). With `metrics.auth`, other callers get 401.
 */
export function createMetricsHandler(obs: ObservabilityCore): OwnRouteHandler {
  const metrics = obs.metrics!;
  const auth = obs.config.metrics.auth;
  return async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (auth !== undefined && !authorized(req, auth)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Unauthorized\n');
      return;
    }
    try {
      const { contentType, body } = await metrics.render(req.headers.accept);
      res.setHeader('Content-Type', contentType);
      res.end(body);
    } catch (e) {
      // Only cluster aggregation can fail as a whole (a worker that does not answer).
      obs.reportError('metrics', e);
      res.status(503).setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('metrics unavailable\n');
    }
  };
}

function authorized(req: IncomingMessage, auth: string | ((req: IncomingMessage) => boolean)): boolean {
  if (typeof auth === 'function') {
    try {
      return auth(req) === true;
    } catch {
      return false;
    }
  }
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const expected = Buffer.from(auth);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
