import type { ObservabilityCore } from '../lib/createObservabilityCore';
import type { OwnRouteHandler } from './createHealthHandlers';

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * The embedded trace viewer's JSON: `GET {tracesPath}` lists the traces kept in memory
 * (`?limit=`, default 100) and `GET {tracesPath}/:traceId` gives one trace's spans. Served
 * only when the instance keeps recent spans and, by default, outside production (span
 * attributes hold paths and client addresses). The `/*` key marks a path-prefix route.
 */
export function createTracesHandler(obs: ObservabilityCore): Map<string, OwnRouteHandler> {
  const routes = new Map<string, OwnRouteHandler>();
  const path = obs.tracing.tracesPath;
  if (path === undefined) return routes;
  const service = obs.config.serviceName;

  routes.set(path, (req, res) => {
    const raw = Number(typeof req.query.limit === 'string' ? req.query.limit : 100);
    const limit = Number.isInteger(raw) && raw > 0 ? Math.min(raw, 1000) : 100;
    res.setHeader('Cache-Control', 'no-store');
    res.json({ service, traces: obs.tracing.traces(limit) });
  });

  routes.set(`${path}/*`, (req, res) => {
    const traceId = req.path.slice(path.length + 1).toLowerCase();
    res.setHeader('Cache-Control', 'no-store');
    if (!TRACE_ID.test(traceId)) {
      res.status(400).json({ error: 'a trace id is 32 hexadecimal characters' });
      return;
    }
    const spans = obs.tracing.traceById(traceId);
    if (spans.length === 0) {
      res.status(404).json({ error: 'trace not found (not sampled, or no longer in memory)', traceId });
      return;
    }
    res.json({ service, traceId, spans });
  });
  return routes;
}
