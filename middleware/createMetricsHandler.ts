import type { ObservabilityCore } from '../lib/createObservability';
import type { OwnRouteHandler } from './createHealthHandlers';

/** `GET /metrics`: the instance's registry in the format the scraper asks for. */
export function createMetricsHandler(obs: ObservabilityCore): OwnRouteHandler {
  return async (req, res) => {
    const { contentType, body } = await obs.metrics!.render(req.headers.accept);
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.end(body);
  };
}
