/**
 * What one access-log line costs per request: `logging.accessLog(finished)` with a
 * realistic finished request, written as JSON to /dev/null through a winston Stream
 * transport, against the same line sent through the full winston format pipeline and a
 * plain winston `timestamp() + json()` logger. Run alone with
 * `npx ts-node --transpile-only bench/accessLog.bench.ts`; `npm run bench` calls
 * {@link runAccessLogBench}.
 */
import { spawn } from 'node:child_process';
import { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
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
  /** Waits, inside the measured time, for work the calls left behind (the OTLP export). */
  readonly settle?: () => Promise<void>;
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
  await v.settle?.();
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
    settle?: () => Promise<void>,
  ): void => {
    variants.push({ name, once, bytes, close, settle, cpu: [], wall: [], lines: 0, written: 0 });
  };
  const collector = await startCollector();
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
  // OTLP export on, next to the default stdout output: the line is also encoded as OTLP
  // protobuf and posted to a collector in another process; each round waits for the export.
  const otlpQueue = { maxQueueSize: 100_000, maxExportBatchSize: 512, scheduledDelayMs: 20 };
  const otlpPipelines: Array<ReturnType<typeof buildLogging>> = [];
  for (const [label, line] of [
    ['accessLog(finished), ours', (l: ReturnType<typeof buildLogging>) => l.accessLog(finished)],
    ['same fields via obs.logger.info', (l: ReturnType<typeof buildLogging>) => l.logger.info('request completed', fields(finished))],
  ] as const) {
    const out = devNullLineTransport();
    const otlp = buildLogging(
      resolved({ transports: [out.transport], otlp: { endpoint: `${collector.url}/v1/logs`, batch: otlpQueue } }),
      'bench-service',
    );
    otlpPipelines.push(otlp);
    let sent = 0;
    variant(
      `${label} -> /dev/null (LineTransport) + OTLP/HTTP protobuf to a loopback collector`,
      () => {
        sent++;
        line(otlp);
      },
      out.bytes,
      () => otlp.shutdown(),
      () => settled(otlp, () => sent),
    );
  }
  for (const v of variants) await run(v, perRound / 2); // warm-up: JIT and stream buffers
  for (let r = 0; r < rounds; r++) for (const v of variants) await measureRound(v, perRound);
  const exported = otlpPipelines.reduce((n, l) => n + l.stats().exportedRecords, 0);
  const lost = otlpPipelines.reduce((n, l) => n + l.stats().droppedQueueFull + l.stats().droppedExportFailed, 0);
  await Promise.all(variants.map((v) => v.close()));
  collector.stop();

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
    'per call, as a logging middleware would. The "+ OTLP" rows also export every line as OTLP/HTTP protobuf to a',
    `collector in another process, each round waiting until its records were acknowledged (${exported} exported, ${lost} lost).`,
    '',
    '| variant | ns/call (wall) | ns/call (CPU) | bytes/line |',
    '|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.variant} | ${r['ns/call (wall)']} | ${r['ns/call (CPU)']} | ${r['bytes/line']} |`,
    ),
  ].join('\n');
  return { rows, markdown };
}

/** Waits until every record handed to the OTLP pipeline has been exported or dropped. */
async function settled(logging: ReturnType<typeof buildLogging>, sent: () => number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const s = logging.stats();
    if (s.exportedRecords + s.droppedQueueFull + s.droppedExportFailed >= sent() || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** An OTLP/HTTP collector stand-in in its own process (its work is not this process's CPU): it reads each export and answers 200. */
async function startCollector(): Promise<{ url: string; stop: () => void }> {
  const code =
    "require('http').createServer((q,s)=>{q.resume();q.on('end',()=>s.writeHead(200,{'content-type':'application/x-protobuf'}).end())})" +
    ".listen(0,'127.0.0.1',function(){console.log(this.address().port)})";
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = await new Promise<string[]>((resolve) => createInterface({ input: child.stdout! }).once('line', (l) => resolve([l])));
  return { url: `http://127.0.0.1:${port}`, stop: () => void child.kill() };
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
