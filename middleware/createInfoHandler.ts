import type { ObservabilityCore } from '../lib/createObservabilityCore';
import type { OwnRouteHandler } from './createHealthHandlers';

// express-actuator's info endpoint reads package.json (build) and git.properties (git).
// Only that endpoint is used: its /metrics is JSON and must not shadow Prometheus's.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ActuatorInfo = require('express-actuator/lib/endpoints/info') as new (
  options: { gitMode: 'simple' | 'full'; dateFormat: string | null; buildOptions?: Record<string, unknown> },
  cache: unknown,
) => { route(req: unknown, res: { status(code: number): { json(body: unknown): void } }): void };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ActuatorCache = require('express-actuator/lib/utils/cache') as new () => unknown;

/** `GET /info`: service, build (package.json) and git info, plus the runtime. */
export function createInfoHandler(obs: ObservabilityCore): OwnRouteHandler {
  let actuator: { build?: unknown; git?: unknown } | undefined;
  return (_req, res) => {
    actuator ??= readActuatorInfo();
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      service: {
        name: obs.config.serviceName,
        version: obs.config.serviceVersion,
        environment: obs.config.environment,
      },
      ...actuator,
      runtime: {
        node: process.version,
        platform: process.platform,
        pid: process.pid,
        uptimeSeconds: Math.round(process.uptime()),
      },
    });
  };
}

function readActuatorInfo(): { build?: unknown; git?: unknown } {
  let captured: { build?: unknown; git?: unknown } = {};
  try {
    new ActuatorInfo({ gitMode: 'simple', dateFormat: null }, new ActuatorCache()).route(
      {},
      { status: () => ({ json: (body) => void (captured = body as typeof captured) }) },
    );
  } catch {
    captured = {};
  }
  return captured;
}
