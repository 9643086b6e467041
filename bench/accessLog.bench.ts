/**
 * What one access-log line costs per request: `logging.accessLog(finished)` with a
 * realistic finished request, written as JSON to /dev/null through a winston Stream
 * transport, against the same line sent through the full winston format pipeline and a
 * plain winston `timestamp() + json()` logger. Run alone with
 * `npx ts-node --transpile-only bench/accessLog.bench.ts`; `npm run bench` calls
 * {@link runAccessLogBench}.
 */
import { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import express from 'express';
import winston from 'winston';
import Transport from 'winston-transport';
import { buildLogging } from '../lib/logging/createLogging';
import { resolveLoggingOptions } from '../lib/logging/loggingOptions';
import type { FinishedRequest } from '../lib/requestLifecycle';
import { devNullLineTransport, devNullTransport } from './nullOutputs';

interface Row {
  readonly variant: string;
  readonly 'ns/call (wall)': number;
  readonly 'ns/call (CPU)': number;
  readonly 'bytes/line': number;
}

/** Counts the bytes of each line and drops it: what is left is the cost of building and dispatching the line. */
class CountingTransport extends Transport {
  bytes = 0;

  override log(info: Record<symbol, unknown>, callback: () => void): void {
    this.bytes += (info[Symbol.for('message')] as string).length;
    callback();
  }
}

/** A request as Express hands it over: real `req.ip` (proxy-addr, `trust proxy`) and headers. */
function finishedRequest(): FinishedRequest {
  const app = express();
  app.set('trust proxy', 'loopback');
  const req = new IncomingMessage({ remoteAddress: '127.0.0.1', remotePort: 50000 } as unknown as Socket);
  req.method = 'GET';
  req.url = '/api/products/42?expand=reviews';
  req.headers = {
    host: 'shop.example.com',
    'user-agent':
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    'x-forwarded-for': '203.0.113.7',
    accept: 'application/json',
  };
  Object.setPrototypeOf(req, app.request);
  (req as unknown as { app: unknown }).app = app;
  return {
    method: 'GET',
    route: '/api/products/:id',
    path: '/api/products/42',
    statusCode: 200,
    aborted: false,
    durationSeconds: 0.004213,
    requestBytes: 0,
    responseBytes: 512,
    error: undefined,
    requestId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    serverSpan: undefined,
    req,
  };
}

interface Variant {
  readonly name: string;
  readonly once: () => void;
  readonly bytes: () => number;
  readonly close: () => Promise<unknown>;
  readonly cpu: number[];
  readonly wall: number[];
  lines: number;
  written: number;
}

const BATCH = 500;

/** Calls `once` `n` times in batches, yielding between them as a server's event loop would. */
async function run(v: Variant, n: number): Promise<void> {
  for (let done = 0; done < n; done += BATCH) {
    for (let i = 0; i < BATCH; i++) v.once();
    // Lets the /dev/null stream and winston's per-line setImmediate drain.
    await new Promise((r) => setImmediate(r));
  }
}

async function measureRound(v: Variant, n: number): Promise<void> {
  const b0 = v.bytes();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await run(v, n);
  const wall = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  v.wall.push(wall / n);
  v.cpu.push(((cpu.user + cpu.system) * 1000) / n);
  v.lines += n;
  v.written += v.bytes() - b0;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs every variant in interleaved rounds (the machine is shared: medians, not means); returns rows and markdown. */
export async function runAccessLogBench(
  options: { smoke?: boolean } = {},
): Promise<{ rows: Row[]; markdown: string }> {
  const rounds = options.smoke ? 2 : 7;
  const perRound = options.smoke ? 2_000 : 40_000;
  const finished = finishedRequest();
  const resolved = (o: object) =>
    resolveLoggingOptions({ format: 'json', level: 'info', ...o }, {}, 'production');
  const fields = (f: FinishedRequest) => ({
    logger: 'access',
    trace_id: f.traceId,
    span_id: f.spanId,
    trace_flags: '01',
    request_id: f.requestId,
    'http.request.method': f.method,
    'http.route': f.route,
    'url.path': f.path,
    'http.response.status_code': f.statusCode,
    'http.server.request.duration': f.durationSeconds,
    'http.request.body.size': f.requestBytes,
    'http.response.body.size': f.responseBytes,
    'user_agent.original': f.req.headers['user-agent'],
    'client.address': (f.req as unknown as { ip: string }).ip,
  });
  const outputs: Array<[string, () => { transport: Transport; bytes: () => number }]> = [
    [
      '/dev/null (Stream transport, a write per line)',
      () => devNullTransport(),
    ],
    [
      '/dev/null (LineTransport, the default: a write per turn)',
      () => devNullLineTransport(),
    ],
    [
      'counting no-op',
      () => {
        const c = new CountingTransport();
        return { transport: c, bytes: () => c.bytes };
      },
    ],
  ];
  const variants: Variant[] = [];
  const variant = (
    name: string,
    once: () => void,
    bytes: () => number,
    close: () => Promise<unknown>,
  ): void => {
    variants.push({ name, once, bytes, close, cpu: [], wall: [], lines: 0, written: 0 });
  };
  for (const [output, make] of outputs) {
    const a = make();
    const ours = buildLogging(resolved({ transports: [a.transport] }), 'bench-service');
    variant(
      `accessLog(finished), ours -> ${output}`,
      () => ours.accessLog(finished),
      a.bytes,
      () => ours.shutdown(),
    );
    const b = make();
    const viaFormat = buildLogging(resolved({ transports: [b.transport] }), 'bench-service');
    variant(
      `same fields via obs.logger.info (full format pipeline) -> ${output}`,
      () => viaFormat.logger.info('request completed', fields(finished)),
      b.bytes,
      () => viaFormat.shutdown(),
    );
    const c = make();
    const plain = winston.createLogger({
      format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
      transports: [c.transport],
    });
    variant(
      `same fields via plain winston timestamp()+json() -> ${output}`,
      () => plain.info('request completed', fields(finished)),
      c.bytes,
      () => new Promise((r) => plain.once('finish', r).end()),
    );
  }
  for (const v of variants) await run(v, perRound / 2); // warm-up: JIT and stream buffers
  for (let r = 0; r < rounds; r++) for (const v of variants) await measureRound(v, perRound);
  await Promise.all(variants.map((v) => v.close()));

  const rows: Row[] = variants.map((v) => ({
    variant: v.name,
    'ns/call (wall)': Math.round(median(v.wall)),
    'ns/call (CPU)': Math.round(median(v.cpu)),
    'bytes/line': Math.round(v.written / v.lines),
  }));
  const markdown = [
    `One access-log line per request (${rounds} interleaved rounds of ${perRound} calls, medians): JSON to /dev/null`,
    "through a winston Stream transport (one write per line) and through the library's default LineTransport (one write",
    `per event-loop turn; here ${BATCH} lines share a turn, far more than in a server, so the request-overhead figures`,
    'are the ones to judge it by), and to a transport that only counts bytes (our own cost without the output).',
    'CPU is the whole process, fs thread pool included. "obs.logger.info" and "plain winston" build the same fields',
    'per call, as a logging middleware would.',
    '',
    '| variant | ns/call (wall) | ns/call (CPU) | bytes/line |',
    '|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.variant} | ${r['ns/call (wall)']} | ${r['ns/call (CPU)']} | ${r['bytes/line']} |`,
    ),
  ].join('\n');
  return { rows, markdown };
}

if (require.main === module) {
  runAccessLogBench({ smoke: process.argv.includes('--smoke') }).then(
    (r) => console.log(r.markdown),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
