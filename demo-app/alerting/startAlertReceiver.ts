import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createObservability, type Observability, type ObservabilityOptions } from '../../index';

/** One alert as the receiver got it from Alertmanager's webhook. */
export interface ReceivedAlert {
  /** Alertmanager's receiver name: `page`, `ticket` or `default`. */
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  /** When this process received it (ms since the epoch). */
  readonly receivedAt: number;
}

/** A running receiver. */
export interface AlertReceiver {
  /** Base URL; Alertmanager posts to `${url}/alerts/<receiver>`. */
  readonly url: string;
  /** What arrived, oldest first (the last 500). */
  readonly received: readonly ReceivedAlert[];
  readonly obs: Observability;
  stop(): Promise<void>;
}

/** Options of {@link startAlertReceiver}. */
export interface AlertReceiverOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** Options of the receiver's own observability instance (logging transports, level). */
  readonly observability?: ObservabilityOptions;
}

const KEEP = 500;

/**
 * The demo's pager and ticket queue: an Express app taking Alertmanager's webhook
 * (`POST /alerts/:receiver`, format version 4) that writes each alert as one structured log
 * line (`alert received`, with receiver, status, the alert's labels and summary)
 * and lists the recent ones at `GET /alerts`.
 */
export async function startAlertReceiver(options: AlertReceiverOptions): Promise<AlertReceiver> {
  // Not global: the receiver has no decorated classes and may share a process with services that do.
  const obs = createObservability({ serviceName: 'alert-receiver', global: false, ...options.observability });
  const received: ReceivedAlert[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.use(obs.routes());
  app.use(express.json({ limit: '1mb' }));
  app.post('/alerts/:receiver', (req, res) => {
    const body = req.body as { version?: string; alerts?: unknown };
    if (!Array.isArray(body?.alerts)) {
      res.status(400).json({ error: 'expected an Alertmanager webhook payload with alerts[]' });
      return;
    }
    for (const a of body.alerts as Array<Partial<ReceivedAlert>>) {
      const alert: ReceivedAlert = {
        receiver: req.params.receiver,
        status: a.status === 'resolved' ? 'resolved' : 'firing',
        labels: a.labels ?? {},
        annotations: a.annotations ?? {},
        startsAt: String(a.startsAt ?? ''),
        endsAt: String(a.endsAt ?? ''),
        receivedAt: Date.now(),
      };
      received.push(alert);
      if (received.length > KEEP) received.shift();
      // The alert's labels nested: the line's own `service` is the receiver's.
      obs.logger.info('alert received', {
        receiver: alert.receiver,
        status: alert.status,
        labels: alert.labels,
        summary: alert.annotations.summary,
        startsAt: alert.startsAt,
        endsAt: alert.status === 'resolved' ? alert.endsAt : undefined,
      });
    }
    res.status(200).json({ received: body.alerts.length });
  });
  app.get('/alerts', (_req, res) => {
    res.json({ alerts: received });
  });
  app.use(obs.errorHandler());

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    obs,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await obs.shutdown();
    },
  };
}
