import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express, { type Express } from 'express';
import { checks, createObservability, type HealthCheckInput, type Observability } from '../../index';
import { DEMO_SERVICES, portBase, servicePort, serviceUrl, type DemoServiceName } from './serviceNames';
import { createStorage, type Storage } from './storage/createStorage';

/** What a demo service is made of, before it listens. */
export interface ServiceParts {
  /** Health checks beyond the storage's own. */
  readonly checks?: Record<string, HealthCheckInput>;
  /** Mounts the service's API; called once the observability instance exists. */
  mount(app: Express, obs: Observability): Promise<void> | void;
}

/** Everything a service factory may use. */
export interface ServiceContext {
  readonly name: DemoServiceName;
  readonly env: NodeJS.ProcessEnv;
  readonly portBase: number;
  readonly storage: Storage;
}

/** A running service. */
export interface RunningService {
  readonly obs: Observability;
  readonly server: Server;
  readonly url: string;
}

/**
 * The machine's resources next to the dependencies, with the seed's thresholds: degraded
 * above 90 % CPU or memory, or below 10 % free disk. Non-critical: readiness never depends on them.
 */
function resourceChecks(): Record<string, HealthCheckInput> {
  return {
    cpu: checks.cpu({ maxCpuPercent: 90 }),
    memory: checks.memory({ maxSystemUsedRatio: 0.9 }),
    disk: checks.disk({ path: '/', minFreeRatio: 0.1 }),
  };
}

/**
 * Starts one demo service the way a user of the library would: one observability
 * instance, its middleware first, its routes (health, metrics, info, traces), the API,
 * its error handler last, and graceful shutdown on SIGTERM/SIGINT.
 */
export async function startService(
  name: DemoServiceName,
  build: (ctx: ServiceContext) => ServiceParts,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningService> {
  const base = portBase(env);
  const storage = createStorage(env, name);
  const parts = build({ name, env, portBase: base, storage });
  const obs = createObservability({
    serviceName: name,
    health: { checks: { ...storage.checks, ...parts.checks, ...resourceChecks() } },
    // Each console asks the other three for the spans and log lines of a trace it shows.
    console: {
      peers: DEMO_SERVICES.filter((s) => s.name !== name).map(
        (s) => `${serviceUrl(s.name, base)}/observability`,
      ),
    },
  });
  obs.onShutdown(() => storage.close());

  const app = express();
  app.disable('x-powered-by');
  app.use(obs.middleware());
  app.use(obs.routes());
  app.use(express.json({ limit: '64kb' }));
  await parts.mount(app, obs);
  app.use((_req, res) => {
    res.status(404).json({ error: 'Not Found' });
  });
  app.use(obs.errorHandler());

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(servicePort(name, base), '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  obs.manageShutdown(server, {
    readinessDelayMs: Number(env.READINESS_DELAY_MS ?? 0),
    gracePeriodMs: 5000,
    exit: true,
  });
  const { port } = server.address() as AddressInfo;
  obs.logger.info('service started', { url: `http://127.0.0.1:${port}`, storage: storage.kind });
  return { obs, server, url: `http://127.0.0.1:${port}` };
}
