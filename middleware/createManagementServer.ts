import { createServer, type Server } from 'node:http';
import express from 'express';
import type { ObservabilityCore } from '../lib/createObservability';
import { createRoutes } from './createRoutes';

/**
 * With `metrics.managementPort`, serves the metrics and health routes on their own port
 * (like the seed's metrics server on 8000) so they can stay off the public one. Started
 * with the instance, closed by its shutdown; a failure to listen is reported, not thrown.
 */
export function startManagementServer(obs: ObservabilityCore): Server | undefined {
  const { managementPort, managementHost } = obs.config.metrics;
  if (managementPort === undefined || !obs.metrics) return undefined;
  const app = express();
  app.disable('x-powered-by');
  app.use(createRoutes(obs, true));
  app.use((_req, res) => {
    res.status(404).setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('Not Found\n');
  });
  const server = createServer(app);
  server.on('error', (e) => obs.reportError('metrics', e));
  server.listen(managementPort, managementHost);
  obs.metrics.setManagementServer(server);
  obs.onShutdown(
    () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        // Scrapers keep connections alive; nothing else is served here, so none is waited for.
        server.closeAllConnections();
      }),
  );
  return server;
}
