import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import request from 'supertest';
import { Logged } from '../../decorators/Logged';
import { Metered } from '../../decorators/Metered';
import { Traced } from '../../decorators/Traced';
import { resetGlobalObservability, setGlobalObservability } from '../../lib/globalObservability';
import { samples } from '../fixtures/metricsScrape';
import { only, tracedApp, tracedObservability } from '../fixtures/tracingApp';
import { expressVersions } from '../helpers/expressVersions';
import { MemoryTransport } from '../helpers/memoryTransport';
import { closeAll } from '../helpers/testObservability';

// The same failure must be named alike on the span, in the metric label and in the log line,
// both for a request and for a decorated method it calls (issue 16, section 2).

afterEach(async () => {
  resetGlobalObservability();
  await closeAll();
});

const MESSAGE = Symbol.for('message') as unknown as string;
const SECRET = 'sekret-json';

class PaymentDeclinedError extends Error {}

class Checkout {
  @Traced()
  @Metered()
  @Logged()
  run(error: unknown): void {
    throw error;
  }

  @Traced()
  parse(text: string): unknown {
    return JSON.parse(text);
  }
}

/** Each thrown value, the route that throws it through the decorated method, and its error.type. */
const CASES: Array<[string, () => unknown, string]> = [
  ['custom-class', () => new PaymentDeclinedError('card declined'), 'PaymentDeclinedError'],
  ['renamed-error', () => Object.assign(new Error('amount missing'), { name: 'ValidationError' }), 'ValidationError'],
  ['dom-exception', () => new DOMException('caller went away', 'AbortError'), 'AbortError'],
  ['thrown-string', () => 'boom', 'string'],
  ['thrown-object', () => ({ code: 'E_STOCK' }), 'object'],
  ['unsafe-name', () => Object.assign(new Error('x'), { name: 'not a "label"' }), '_OTHER'],
];

describe.each(expressVersions)('one error.type on every signal, %s', (_name, express) => {
  function setup() {
    const logs = new MemoryTransport();
    const t = tracedObservability({}, { metrics: { preset: 'otel', defaultMetrics: false }, logging: { transports: [logs] } });
    setGlobalObservability(t.obs);
    const checkout = new Checkout();
    let release: () => void = () => undefined;
    const hang = new Promise<void>((r) => (release = r));
    const reached = { hang: false };
    const app = tracedApp(express, t.obs, (a) => {
      for (const [route, make] of CASES) {
        a.get(`/${route}`, (_req, _res, next) => {
          try {
            checkout.run(make());
          } catch (e) {
            next(e);
          }
        });
      }
      a.get('/unavailable', (_req, res) => {
        res.status(503).end();
      });
      a.get('/hang', (_req, res) => {
        reached.hang = true;
        void hang.then(() => res.end());
      });
      a.get('/client-aborted', (_req, _res, next) => {
        t.obs.tracing.fetch('http://127.0.0.1:1/never', { signal: AbortSignal.abort() }).then(() => next(), next);
      });
      a.get('/parse', (_req, _res, next) => {
        try {
          checkout.parse(`{"password": ${SECRET}}`);
        } catch (e) {
          next(e);
        }
      });
    });
    const lines = () => logs.entries.map((e) => JSON.parse(e[MESSAGE]) as Record<string, any>);
    const access = (route: string) => lines().filter((l) => l.logger === 'access' && l['http.route'] === route);
    const scrape = async () => (await request(app).get('/metrics').expect(200)).text;
    return { app, spans: t.spans, lines, access, scrape, release, reached };
  }

  /** error.type of the server span, the HTTP metric and the access line of one route. */
  async function requestSignals(s: ReturnType<typeof setup>, route: string, text: string) {
    const span = only(s.spans(), `GET ${route}`);
    const series = samples(text, 'http_server_request_duration_seconds_count', { http_route: route });
    expect(series).toHaveLength(1);
    const lines = s.access(route);
    expect(lines).toHaveLength(1);
    return { span: span.attributes['error.type'], metric: series[0]!.labels.error_type, log: lines[0]!['error.type'] };
  }

  it.each(CASES)('%s thrown by a @Traced @Metered @Logged method inside a request', async (route, make, expected) => {
    const s = setup();
    await request(s.app).get(`/${route}`).expect(500);
    const text = await s.scrape();
    // the request
    expect(await requestSignals(s, `/${route}`, text)).toEqual({ span: expected, metric: expected, log: expected });
    // the method it called
    const methodSpan = only(s.spans(), 'Checkout.run');
    const methodSeries = samples(text, 'method_calls_total', { class: 'Checkout', method: 'run', outcome: 'error' });
    expect(methodSeries).toHaveLength(1);
    const failed = s.lines().filter((l) => l.message === 'Checkout.run failed');
    expect(failed).toHaveLength(1);
    expect({ span: methodSpan.attributes['error.type'], metric: methodSeries[0]!.labels.error_type, log: failed[0]!.error.type }).toEqual({
      span: expected,
      metric: expected,
      log: expected,
    });
    // the exception event and the logged exception name the same type
    expect(exceptionType(methodSpan)).toBe(expected);
    expect(exceptionType(only(s.spans(), `GET /${route}`))).toBe(expected);
    const exception = s.access(`/${route}`)[0]!.exception;
    // a thrown non-Error is logged as the value it is, its error.type beside it
    if (route.startsWith('thrown-')) expect(exception).toEqual(make());
    else expect(exception).toMatchObject({ type: expected });
  });

  it('a 5xx without an error is its status code on the span, the metric and the log line', async () => {
    const s = setup();
    await request(s.app).get('/unavailable').expect(503);
    expect(await requestSignals(s, '/unavailable', await s.scrape())).toEqual({ span: '503', metric: '503', log: '503' });
  });

  it('a request the client left is aborted on the span, the metric and the log line', async () => {
    const s = setup();
    const server = s.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const req = httpRequest({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/hang' });
      req.on('error', () => undefined);
      req.end();
      for (let i = 0; i < 200 && !s.reached.hang; i++) await sleep(5);
      req.destroy();
      for (let i = 0; i < 200 && s.access('/hang').length === 0; i++) await sleep(10);
      expect(await requestSignals(s, '/hang', await s.scrape())).toEqual({ span: 'aborted', metric: 'aborted', log: 'aborted' });
    } finally {
      s.release();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('an aborted fetch is AbortError on its client span and on the request that failed with it', async () => {
    const s = setup();
    await request(s.app).get('/client-aborted').expect(500);
    const client = s.spans().filter((sp) => sp.name === 'GET');
    expect(client).toHaveLength(1);
    expect(client[0]!.attributes['error.type']).toBe('AbortError');
    expect(exceptionType(client[0]!)).toBe('AbortError');
    expect(await requestSignals(s, '/client-aborted', await s.scrape())).toEqual({ span: 'AbortError', metric: 'AbortError', log: 'AbortError' });
  });

  it('a JSON.parse error inside a @Traced method does not put the input into its span', async () => {
    const s = setup();
    await request(s.app).get('/parse').expect(500);
    const span = only(s.spans(), 'Checkout.parse');
    expect(span.attributes['error.type']).toBe('SyntaxError');
    expect(exceptionType(span)).toBe('SyntaxError');
    expect(span.events[0]!.attributes!['exception.message']).toMatch(/is not valid JSON/);
    expect(JSON.stringify([span.attributes, span.events, span.status])).not.toContain(SECRET);
    expect(JSON.stringify(s.lines())).not.toContain(SECRET);
  });
});

function exceptionType(span: ReadableSpan): unknown {
  return span.events.find((e) => e.name === 'exception')?.attributes?.['exception.type'];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
