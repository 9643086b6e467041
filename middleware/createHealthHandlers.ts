import type { Request, Response } from 'express';
import type { ObservabilityCore } from '../lib/createObservabilityCore';
import { mayShowDetails, sendReport, sendStatus } from './healthResponse';

/** A route handler of the library's own routes. */
export type OwnRouteHandler = (req: Request, res: Response) => void | Promise<void>;

/**
 * The five probe routes. Each answers within the probe deadline; dependency checks
 * run only in detailed, ready and startup, never in live or the basic summary.
 */
export function createHealthHandlers(obs: ObservabilityCore): Map<string, OwnRouteHandler> {
  const options = obs.config.health;
  const base = options.basePath === '/' ? '' : options.basePath;
  const deadlineMs = options.probeDeadlineMs;
  const handlers = new Map<string, OwnRouteHandler>();

  handlers.set(base || '/', (req, res) => {
    sendStatus(req, res, 200, 'healthy', summary(obs), true);
  });

  handlers.set(`${base}/live`, (req, res) => {
    const sample = obs.liveness.sample();
    sendStatus(
      req,
      res,
      sample.alive ? 200 : 503,
      sample.alive ? 'healthy' : 'unhealthy',
      { ...summary(obs), ...sample },
      true,
    );
  });

  handlers.set(`${base}/detailed`, async (req, res) => {
    const [report, show] = await Promise.all([
      obs.health.report({ deadlineMs }),
      mayShowDetails(req, options),
    ]);
    sendReport(req, res, options.detailedStatusCodes[report.status], report, show);
  });

  handlers.set(`${base}/ready`, async (req, res) => {
    const show = mayShowDetails(req, options);
    // Cheap lifecycle answers first: a pod that is stopping must not wait for its checks.
    const early = obs.state.shuttingDown
      ? 'shutting down'
      : obs.state.started
        ? undefined
        : 'startup has not completed';
    if (early) {
      sendStatus(req, res, 503, 'unhealthy', { reason: early }, await show);
      return;
    }
    // All checks run here, startup ones included, so readiness never waits on a startup probe.
    const report = await obs.health.report({ deadlineMs });
    const late = lifecycleBlock(obs);
    if (late) {
      sendStatus(req, res, 503, 'unhealthy', { reason: late }, await show);
      return;
    }
    sendReport(req, res, report.status === 'unhealthy' ? 503 : 200, report, await show);
  });

  handlers.set(`${base}/startup`, async (req, res) => {
    const show = mayShowDetails(req, options);
    if (!obs.state.started) {
      sendStatus(req, res, 503, 'unhealthy', { reason: 'startup has not completed' }, await show);
      return;
    }
    const report = await obs.health.report({ deadlineMs, only: (c) => c.startup });
    const ok = obs.health.startupChecksPassed();
    sendReport(
      req,
      res,
      ok ? 200 : 503,
      report,
      await show,
      ok ? undefined : { reason: 'startup checks have not passed yet' },
    );
  });

  return handlers;
}

/** Why readiness must be 503 whatever the checks say (shutdown may begin while they run). */
function lifecycleBlock(obs: ObservabilityCore): string | undefined {
  if (obs.state.shuttingDown) return 'shutting down';
  if (!obs.state.started) return 'startup has not completed';
  if (!obs.health.startupChecksPassed()) return 'startup checks have not passed yet';
  return undefined;
}

function summary(obs: ObservabilityCore): Record<string, unknown> {
  return {
    service: obs.config.serviceName,
    version: obs.config.serviceVersion,
    timestamp: new Date().toISOString(),
    uptimeSeconds: Math.round(process.uptime() * 100) / 100,
  };
}
