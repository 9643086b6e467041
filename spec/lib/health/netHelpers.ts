import {
  createServer as createHttpServer,
  request,
  type IncomingMessage,
  type RequestListener,
  type Server,
} from 'node:http';
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';

/** A dependency that accepts TCP connections and never answers; `close()` drops every socket. */
export interface HangingServer {
  readonly url: string;
  readonly port: number;
  /** Sockets accepted so far and how many of them the client has since closed. */
  readonly stats: { accepted: number; closedByClient: number };
  close(): Promise<void>;
}

/** Starts a {@link HangingServer} on an ephemeral loopback port. */
export async function hangingServer(): Promise<HangingServer> {
  const sockets = new Set<Socket>();
  const stats = { accepted: 0, closedByClient: 0 };
  let closing = false;
  const server: NetServer = createServer((socket) => {
    stats.accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      if (!closing) stats.closedByClient++;
    });
    // Read and ignore: the request arrives, the answer never does.
    socket.resume();
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/health`,
    port,
    stats,
    close: () => {
      closing = true;
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real HTTP server on an ephemeral loopback port; `close()` also drops keep-alive sockets. */
export async function startHttp(
  handler: RequestListener | Server,
): Promise<{ server: Server; base: string; close(): Promise<void> }> {
  const server = typeof handler === 'function' ? createHttpServer(handler) : handler;
  const port = await listen(server);
  return {
    server,
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One GET over a fresh connection (no agent), with the body parsed as JSON when it is JSON. */
export function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingMessage['headers']; body: any; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function listen(server: NetServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
