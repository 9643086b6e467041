import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ObservabilityCore } from '../lib/createObservabilityCore';
import { createRoutes } from './createRoutes';

/** The management server of an instance: its own port for the health and metrics routes. */
export interface ManagementServer {
  readonly server: Server;
  /** The address once it listens; rejects when it could not listen (for example EADDRINUSE). */
  address(): Promise<AddressInfo>;
}

/**
 * With `management: { port }`, serves the health and metrics routes on their own port
 * (like the seed's metrics server on 8000) so they can stay off the public one. Started
 * with the instance, closed by its shutdown; a failure to listen is reported, not thrown.
 */
export function startManagementServer(obs: ObservabilityCore): ManagementServer | undefined {
  const { management } = obs.config;
  if (management === undefined) return undefined;
  const app = express();
  app.disable('x-powered-by');
  app.use(createRoutes(obs, true));
  app.use((_req, res) => {
    res.status(404).setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('Not Found\n');
  });
  const server = createServer(app);
  let failure: Error | undefined;
  server.on('error', (e) => {
    failure = e;
    obs.reportError('metrics', e);
  });
  server.listen(management.port, management.host);
  obs.onShutdown(
    () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        // Scrapers keep connections alive; nothing else is served here, so none is waited for.
        server.closeAllConnections();
      }),
  );
  return {
    server,
    async address() {
      if (failure) throw failure;
      if (!server.listening) {
        await new Promise<void>((resolve, reject) => {
          server.once('listening', resolve);
          server.once('error', reject);
        });
      }
      return server.address() as AddressInfo;
    },
  };
}
