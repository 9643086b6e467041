import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { closeAll, testObservability } from '../../helpers/testObservability';

// Connections the server accepted just before its listener closed, whose request had not
// arrived yet, must be served (answered with `Connection: close`) rather than reset.
afterEach(closeAll);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Outcome {
  status?: number;
  connection?: string;
  error?: string;
  /** The server ended the connection after the answer. */
  closedByServer: boolean;
}

/** A raw keep-alive connection, connected (accepted by the kernel and seen by the server). */
async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket;
}

/** Sends one keep-alive GET on `socket`; resolves once the answer is in and the socket is closed, or on an error. */
function send(socket: Socket, path: string): Promise<Outcome> {
  return new Promise((resolve) => {
    let text = '';
    let error: string | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      const head = text.split('\r\n\r\n')[0] ?? '';
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
      const connection = /\r\nconnection: *([^\r]*)/i.exec(head)?.[1];
      resolve({
        ...(status ? { status: Number(status) } : {}),
        ...(connection ? { connection: connection.toLowerCase() } : {}),
        ...(error ? { error } : status ? {} : { error: 'closed without an answer' }),
        closedByServer: !error && status !== undefined,
      });
    });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
  });
}

async function serve() {
  const { obs } = testObservability({ logging: { level: 'warn' } });
  let reached = 0;
  const app = express();
  app.use(obs.middleware());
  app.get('/hello', (_req, res) => {
    reached++;
    res.json({ hello: 'world' });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const handle = obs.manageShutdown(server, { signals: [], gracePeriodMs: 5000 });
  return { port: (server.address() as AddressInfo).port, server, handle, reached: () => reached };
}

function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.error ?? `${o.status} connection: ${o.connection ?? 'keep-alive'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Keeps this process's event loop busy, as a loaded server's is: connections queue in the kernel meanwhile. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

it('connections the kernel accepted while the server was busy, just before the listener closes, are served with Connection: close', async () => {
  const { port, server, handle, reached } = await serve();
  // Connected by the kernel (in the listen backlog) while the event loop cannot accept them.
  const sockets = Array.from({ length: 40 }, () => connect(port, '127.0.0.1'));
  // net.connect() issues its connect call on the next tick: let those run, without an event-loop turn.
  await new Promise((resolve) => process.nextTick(resolve));
  busy(60);
  const done = handle.shutdown();
  const outcomes = await Promise.all(sockets.map((s) => send(s, '/hello')));
  process.stdout.write(`in the backlog at close: ${JSON.stringify(tally(outcomes))}\n`);
  expect(tally(outcomes)).toEqual({ '200 connection: close': 40 });
  expect(outcomes.every((o) => o.closedByServer)).toBe(true);
  expect(reached()).toBe(40);
  expect(server.listening).toBe(false);
  await done;
});

it('connections accepted just before the listener closes, whose request comes after, are served with Connection: close', async () => {
  const { port, server, handle, reached } = await serve();
  const sockets = await Promise.all(Array.from({ length: 40 }, () => open(port)));
  // Long enough for the server to have accepted every one of them.
  await sleep(50);
  const done = handle.shutdown();
  while (server.listening) await sleep(1);
  const outcomes = await Promise.all(sockets.map((s) => send(s, '/hello')));
  process.stdout.write(`accepted before close: ${JSON.stringify(tally(outcomes))}\n`);
  expect(tally(outcomes)).toEqual({ '200 connection: close': 40 });
  expect(outcomes.every((o) => o.closedByServer)).toBe(true);
  expect(reached()).toBe(40);
  await done;
});

it('a connection that never sends a request does not hold the shutdown for the grace period', async () => {
  const { port, handle } = await serve();
  const idle = await open(port);
  const closed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
  idle.on('error', () => undefined);
  await sleep(50);
  const started = Date.now();
  await handle.shutdown();
  await closed;
  // Far below the 5 s grace period: the server waited a moment for a request, then closed it.
  expect(Date.now() - started).toBeLessThan(2500);
});
