import type { ErrorRequestHandler, Request } from 'express';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import request from 'supertest';
import { expressVersions, type ExpressModule } from '../helpers/expressVersions';
import type { MemoryTransport } from '../helpers/memoryTransport';
import { closeAll, testObservability } from '../helpers/testObservability';

afterEach(closeAll);

// V8 quotes about 10 characters either side of a JSON error, so the grep looks for the
// secret's first characters: `sekret-json` appears as `sekret-jso` in the snippet.
const SECRET = 'sekret-json';
const NEEDLE = 'sekret';
const MESSAGE = Symbol.for('message') as unknown as string;

interface Case {
  readonly name: string;
  readonly path: string;
  readonly type: string;
  readonly body: string;
  readonly status: number;
  /** What a production caller reads in `error`. */
  readonly production: string | RegExp;
  /** What a developer reads outside production. */
  readonly development: string | RegExp;
  /** The error type the access log and the span name. */
  readonly errorType: string;
}

const pad = 'x'.repeat(2000);
const cases: Case[] = [
  {
    name: 'malformed JSON',
    path: '/json',
    type: 'application/json',
    body: `{"password": ${SECRET}}`,
    status: 400,
    production: /^Unexpected token 's'/,
    development: /^Unexpected token 's'/,
    errorType: 'SyntaxError',
  },
  {
    name: 'short malformed JSON (V8 quotes all of it)',
    path: '/json',
    type: 'application/json',
    body: `[${SECRET}]`,
    status: 400,
    production: /^Unexpected token 's'/,
    development: /^Unexpected token 's'/,
    errorType: 'SyntaxError',
  },
  {
    name: 'a JSON string where strict mode wants an object (body-parser quotes it)',
    path: '/json',
    type: 'application/json',
    body: JSON.stringify(SECRET),
    status: 400,
    production: /^Unexpected token '"'/,
    development: /^Unexpected token '"'/,
    errorType: 'SyntaxError',
  },
  {
    name: 'too large JSON',
    path: '/json',
    type: 'application/json',
    body: JSON.stringify({ password: SECRET, pad }),
    status: 413,
    production: 'request entity too large',
    development: 'request entity too large',
    errorType: 'PayloadTooLargeError',
  },
  {
    name: 'urlencoded nested deeper than allowed',
    path: '/form',
    type: 'application/x-www-form-urlencoded',
    body: `comment=${SECRET}&a[b][c][d][e]=1`,
    status: 400,
    production: 'The input exceeded the depth',
    development: 'The input exceeded the depth',
    errorType: 'BadRequestError',
  },
  {
    name: 'urlencoded with too many parameters',
    path: '/form',
    type: 'application/x-www-form-urlencoded',
    body: `comment=${SECRET}&a=1&b=2&c=3&d=4&e=5&f=6`,
    status: 413,
    production: 'too many parameters',
    development: 'too many parameters',
    errorType: 'PayloadTooLargeError',
  },
  {
    name: 'too large urlencoded',
    path: '/form',
    type: 'application/x-www-form-urlencoded',
    body: `comment=${SECRET}&pad=${pad}`,
    status: 413,
    production: 'request entity too large',
    development: 'request entity too large',
    errorType: 'PayloadTooLargeError',
  },
  {
    name: 'a failed verify (body-parser keeps the body on the 403)',
    path: '/signed',
    type: 'application/json',
    body: JSON.stringify({ comment: SECRET }),
    status: 403,
    production: 'signature mismatch',
    development: 'signature mismatch',
    errorType: 'Error',
  },
  {
    name: "the app's own 422 carrying rawBody and requestBody, not marked expose",
    path: '/orders',
    type: 'application/json',
    body: JSON.stringify({ comment: SECRET }),
    status: 422,
    production: 'Unprocessable Entity',
    development: 'order rejected',
    errorType: 'Error',
  },
];

/** The app of the quick start: the library's middleware, body parsers, routes, the app's own error logging, the error handler. */
function build(express: ExpressModule, env: Record<string, string>) {
  const exporter = new InMemorySpanExporter();
  const { obs, logs } = testObservability({
    environment: undefined,
    env,
    tracing: { exporter, processor: 'simple' },
  });
  const app = express();
  app.use(obs.middleware());
  const ok = (_req: Request, res: { json(v: unknown): void }) => res.json({ ok: true });
  app.post('/json', express.json({ limit: '1kb' }), ok);
  // `depth` is a body-parser option since 1.20.3 that @types/body-parser does not list yet
  const form = { extended: true, limit: '1kb', parameterLimit: 5, depth: 2 } as Parameters<
    ExpressModule['urlencoded']
  >[0];
  app.post('/form', express.urlencoded(form), ok);
  app.post(
    '/signed',
    express.json({
      verify: (req) => {
        if (req.headers['x-signature'] !== 'valid') throw new Error('signature mismatch');
      },
    }),
    ok,
  );
  app.post(
    '/orders',
    express.json({
      verify: (req, _res, buf) => {
        (req as unknown as { rawBody: string }).rawBody = buf.toString();
      },
    }),
    (req) => {
      throw Object.assign(new Error('order rejected'), {
        status: 422,
        rawBody: (req as unknown as { rawBody: string }).rawBody,
        requestBody: JSON.stringify(req.body),
      });
    },
  );
  const log = obs.logger.child({ component: 'api' });
  const appLogs: ErrorRequestHandler = (err, _req, _res, next) => {
    log.warn('request rejected', err);
    log.error(err);
    log.log({ level: 'error', message: err });
    next(err);
  };
  app.use(appLogs);
  app.use(obs.errorHandler());
  return { app, logs, spans: () => exporter.getFinishedSpans() };
}

function occurrences(text: string): number {
  return text.split(NEEDLE).length - 1;
}

/** What an exporter sends of a span: name, attributes, status, events and their attributes. */
function spanText(s: ReadableSpan): string {
  return JSON.stringify({
    name: s.name,
    attributes: s.attributes,
    status: s.status,
    events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })),
  });
}

/** Every place the secret shows, with its count: the figure of the closing note. */
function leaks(responseText: string, logs: MemoryTransport, spans: ReadableSpan[]): string[] {
  const found: string[] = [];
  const n = occurrences(responseText);
  if (n) found.push(`response x${n}`);
  for (const e of logs.entries) {
    const k = occurrences(e[MESSAGE] as string);
    if (k) found.push(`log "${e.message as string}" (${e.logger as string}) x${k}`);
    // the record a transport with its own format would write (pretty lines show less of it)
    const r = occurrences(JSON.stringify(e));
    if (r) found.push(`record "${e.message as string}" (${e.logger as string}) x${r}`);
  }
  for (const s of spans) {
    const k = occurrences(spanText(s));
    if (k) found.push(`span ${s.name} x${k}`);
  }
  return found;
}

/** The records written (JSON lines in production, pretty lines outside it: both are grepped above). */
function lines(logs: MemoryTransport): Record<string, any>[] {
  return logs.entries;
}

describe.each(expressVersions)('request bodies in body-parser errors on %s', (_name, express) => {
  describe.each([
    ['production (NODE_ENV=production)', { NODE_ENV: 'production' }, 'production'],
    ['development (NODE_ENV unset)', {}, 'development'],
  ] as const)('%s', (_env, env, mode) => {
    it.each(cases)('$name: never in the response, a log line or a span', async (c) => {
      const { app, logs, spans } = build(express, env);
      const res = await request(app).post(c.path).set('Content-Type', c.type).send(c.body);
      // the route saw the body: a miss here would make the greps vacuous
      expect(c.body).toContain(SECRET);
      expect({ case: c.name, leaks: leaks(res.text, logs, spans()) }).toEqual({ case: c.name, leaks: [] });

      // and what is left is still useful
      expect(res.status).toBe(c.status);
      const expected = mode === 'production' ? c.production : c.development;
      if (typeof expected === 'string') expect(res.body.error).toBe(expected);
      else expect(res.body.error).toMatch(expected);
      expect(res.body.requestId).toEqual(expect.any(String));

      const all = lines(logs);
      const access = all.filter((l) => l.logger === 'access');
      expect(access).toHaveLength(1);
      expect(access[0]!['http.response.status_code']).toBe(c.status);
      expect(access[0]!.exception).toMatchObject({ type: c.errorType });
      expect(access[0]!.exception.message).toEqual(expect.any(String));
      expect(access[0]!.exception.message).not.toBe('');
      // the app's own lines: `log.warn(msg, err)`, `log.error(err)`, `log.log({ level, message: err })`
      expect(all.filter((l) => l.logger === 'api')).toHaveLength(3);
      const server = spans().filter((s) => s.name.startsWith('POST'));
      expect(server).toHaveLength(1);
      const exception = server[0]!.events.find((e) => e.name === 'exception');
      expect(exception?.attributes?.['exception.type']).toBe(c.errorType);
    });
  });

  it('a parse error keeps what helps a developer in logs and spans: type, status, a cut message, frames', async () => {
    const { app, logs, spans } = build(express, {});
    await request(app)
      .post('/json')
      .set('Content-Type', 'application/json')
      .send(`{"password": ${SECRET}}`)
      .expect(400);
    const access = lines(logs).find((l) => l.logger === 'access')!;
    expect(access.exception).toMatchObject({
      type: 'SyntaxError',
      message: expect.stringMatching(/^Unexpected token 's'/),
      status: 400,
      expose: true,
    });
    expect(access.exception.stacktrace).toMatch(/^SyntaxError: Unexpected token 's'.*\n\s+at /);
    // the raw body is named, not shown
    expect(access.exception.body).toBe('[REDACTED]');
    const event = spans()[0]!.events.find((e) => e.name === 'exception')!;
    expect(event.attributes?.['exception.message']).toMatch(/^Unexpected token 's'/);
    expect(event.attributes?.['exception.stacktrace']).toMatch(/\n\s+at /);
  });
});
