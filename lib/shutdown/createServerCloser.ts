import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A connection accepted before the close that has sent nothing for this long is closed. */
const FIRST_REQUEST_WAIT_MS = 1000;
/**
 * At most this long (and at most a quarter of the grace period) is spent taking in the listen
 * backlog before the listener closes. Node takes one connection from the backlog per
 * event-loop turn, and on a loaded process every turn also serves the requests already in:
 * 40 queued connections measured 250-600 ms on two busy cores.
 */
const BACKLOG_MAX_MS = 2000;
/** How often idle connections are looked for during the drain. */
const SWEEP_MS = 50;

/** Closes one server gracefully; see {@link createServerCloser}. */
export interface ServerCloser {
  /** Stops accepting and drains; resolves once every connection has closed, remaining ones cut at `graceMs`. */
  close(graceMs: number): Promise<void>;
  /** Stops watching the server's connections. */
  dispose(): void;
}

/**
 * Watches the server's connections from now on, so that at the close no connection the
 * server has accepted is reset before it could deliver its request:
 * - connections still in the kernel's listen backlog (accepted by the kernel, not yet by
 *   Node: many on a busy event loop) are reset when the listener closes, so the loop
 *   takes them in first (until two turns in a row take in none, for up to
 *   {@link BACKLOG_MAX_MS} or a quarter of the grace period);
 * - every answer from then on carries `Connection: close`, so no client sends another
 *   request on a connection the server is about to close;
 * - idle keep-alive connections are closed as they appear, connections that have sent no
 *   byte get {@link FIRST_REQUEST_WAIT_MS} to send their request (a preconnect must not
 *   hold the shutdown for the whole grace period), and the rest are cut at the grace period.
 */
export function createServerCloser(server: Server): ServerCloser {
  const open = new Set<Socket>();
  let accepted = 0;
  const onConnection = (socket: Socket): void => {
    accepted++;
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  server.on('connection', onConnection);
  return {
    async close(graceMs) {
      if (!server.listening) return;
      const closeAfter = (_req: IncomingMessage, res: ServerResponse): void => {
        if (!res.headersSent) res.setHeader('Connection', 'close');
      };
      // Before the app's own listener, so its answer already carries the header.
      server.prependListener('request', closeAfter);
      try {
        // Node takes one connection from the backlog per event-loop turn: turns until two in a
        // row (this may run from an I/O callback, after its turn's poll) take in none.
        const until = Date.now() + Math.min(BACKLOG_MAX_MS, graceMs / 4);
        for (let seen = -1; seen !== accepted && Date.now() < until; ) {
          seen = accepted;
          await loopTurn();
          await loopTurn();
        }
        await drain(server, open, graceMs);
      } finally {
        server.removeListener('request', closeAfter);
      }
    },
    dispose: () => void server.removeListener('connection', onConnection),
  };
}

function drain(server: Server, open: ReadonlySet<Socket>, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const silentUntil = Date.now() + Math.min(FIRST_REQUEST_WAIT_MS, graceMs);
    const sweep = setInterval(() => {
      // Node's idle connections are those between requests; one that never sent a byte is not among them.
      server.closeIdleConnections();
      if (Date.now() < silentUntil) return;
      for (const socket of open) if (socket.bytesRead === 0) socket.destroy();
    }, SWEEP_MS);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    sweep.unref();
    force.unref();
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function loopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve).unref());
}
