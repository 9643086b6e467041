import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import type { Express } from 'express';
import request from 'supertest';
import type { ObservabilityOptions } from '../../lib/config';
import { LineTransport } from '../../lib/logging/LineTransport';
import { UNMATCHED_ROUTE } from '../../lib/requestLifecycle';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';
import { logLines } from '../lib/logging/logLines';

afterEach(closeAll);

describe.each(expressVersions)('access log on %s', (_name, express) => {
  function setup(options: ObservabilityOptions = {}, configure?: (app: Express) => void) {
    const { obs, logs } = testObservability({ tracing: false, ...options });
    const app = express();
    configure?.(app);
    app.use(obs.middleware());
    app.use(obs.routes());
    app.use(express.json());
    app.get('/api/products/:id', (_req, res) => {
      res.json({ id: 1, name: 'lamp' });
    });
    app.post('/api/orders', (req, res) => {
      res.status(201).json({ received: req.body });
    });
    app.get('/api/missing', (_req, res) => {
      res.status(404).json({ error: 'nope' });
    });
    app.get('/api/broken', () => {
      throw Object.assign(new TypeError('db exploded'), { code: 'E_DB' });
    });
    app.get('/api/slow', async (_req, res) => {
      await sleep(60);
      res.send('slow');
    });
    app.get('/api/hang', () => undefined);
    app.use(obs.errorHandler());
    const access = () => logLines(logs).filter((l) => l.logger === 'access');
    return { obs, app, logs, access };
  }

  it('writes one line per request with every field, in OTel semantic-convention names', async () => {
    const { app, access } = setup();
    const res = await request(app)
      .get('/api/products/42?expand=1')
      .set('User-Agent', 'jest-agent/1.0')
      .expect(200);
    const post = await request(app).post('/api/orders').send({ sku: 'a-1', qty: 2 }).expect(201);
    const [get, created] = access();
    expect(access()).toHaveLength(2);
    expect(get).toEqual({
      timestamp: expect.stringMatching(/Z$/),
      level: 'info',
      message: 'request completed',
      service: 'test-service',
      logger: 'access',
      request_id: res.headers['x-request-id'],
      'http.request.method': 'GET',
      'http.route': '/api/products/:id',
      'url.path': '/api/products/42',
      'http.response.status_code': 200,
      'http.server.request.duration': expect.any(Number),
      'http.request.body.size': 0,
      'http.response.body.size': Buffer.byteLength(JSON.stringify(res.body)),
      'user_agent.original': 'jest-agent/1.0',
      'client.address': expect.stringMatching(/127\.0\.0\.1$/),
    });
    expect(get['http.server.request.duration']).toBeGreaterThan(0);
    expect(get['http.server.request.duration']).toBeLessThan(10);
    expect(created).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/orders',
      'http.response.status_code': 201,
      'http.request.body.size': Buffer.byteLength(JSON.stringify({ sku: 'a-1', qty: 2 })),
      request_id: post.headers['x-request-id'],
    });
  });

  it('carries trace_id and span_id of the server span when tracing is on', async () => {
    const exporter = new InMemorySpanExporter();
    const { app, access } = setup({ tracing: { exporter, processor: 'simple' } });
    await request(app)
      .get('/api/products/1')
      .set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')
      .expect(200);
    const span = exporter.getFinishedSpans().find((s) => s.kind === 1)!;
    expect(access()[0]).toMatchObject({
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: span.spanContext().spanId,
      trace_flags: '01',
    });
  });

  it('levels by outcome: info 2xx, warn 4xx, error 5xx with the error; unmatched routes use one label', async () => {
    const { app, access } = setup();
    await request(app).get('/api/missing').expect(404);
    await request(app).get('/api/broken').expect(500);
    await request(app).get('/no/such/path').expect(404);
    const [missing, broken, unmatched] = access();
    expect(missing).toMatchObject({
      level: 'warn',
      'http.response.status_code': 404,
      'http.route': '/api/missing',
    });
    expect(broken).toMatchObject({
      level: 'error',
      'http.response.status_code': 500,
      'error.type': 'TypeError',
      exception: {
        type: 'TypeError',
        message: 'db exploded',
        code: 'E_DB',
        stacktrace: expect.stringContaining('db exploded'),
      },
    });
    expect(unmatched).toMatchObject({
      level: 'warn',
      'http.route': UNMATCHED_ROUTE,
      'url.path': '/no/such/path',
    });
  });

  it('a request slower than the threshold is raised to warn as "slow request"', async () => {
    const { app, access } = setup({ logging: { accessLog: { slowThresholdMs: 30 } } });
    await request(app).get('/api/slow').expect(200);
    await request(app).get('/api/products/1').expect(200);
    expect(access().map((l) => [l.level, l.message])).toEqual([
      ['warn', 'slow request'],
      ['info', 'request completed'],
    ]);
  });

  it('an aborted request is logged once as 499 "request aborted"', async () => {
    const { app, access } = setup();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const req = httpRequest({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        path: '/api/hang',
      });
      req.on('error', () => undefined);
      req.end();
      await sleep(50);
      req.destroy();
      for (let i = 0; i < 50 && access().length === 0; i++) await sleep(10);
      expect(access()).toEqual([
        expect.objectContaining({
          level: 'warn',
          message: 'request aborted',
          'http.response.status_code': 499,
          'http.route': '/api/hang',
        }),
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('client.address honours trust proxy: X-Forwarded-For only from a trusted proxy', async () => {
    const trusted = setup({}, (app) => app.set('trust proxy', 'loopback'));
    await request(trusted.app).get('/api/products/1').set('X-Forwarded-For', '203.0.113.7');
    expect(trusted.access()[0]['client.address']).toBe('203.0.113.7');

    const untrusted = setup();
    await request(untrusted.app).get('/api/products/1').set('X-Forwarded-For', '203.0.113.7');
    expect(untrusted.access()[0]['client.address']).toMatch(/127\.0\.0\.1$/);
  });

  it("skips the library's own routes and the configured paths (strings and RegExps)", async () => {
    const { app, access } = setup({
      logging: { accessLog: { excludePaths: ['/api/products/1', /^\/api\/miss/] } },
    });
    await request(app).get('/health/live').expect(200);
    await request(app).get('/health/ready').expect(200);
    await request(app).get('/metrics').expect(200);
    await request(app).get('/api/products/1').expect(200);
    await request(app).get('/api/missing').expect(404);
    await request(app).get('/api/products/2').expect(200);
    expect(access().map((l) => l['url.path'])).toEqual(['/api/products/2']);
  });

  it('can be turned off, leaving other lines alone', async () => {
    const { app, obs, logs } = setup({ logging: { accessLog: false } });
    await request(app).get('/api/products/1').expect(200);
    obs.logger.info('still here');
    expect(logLines(logs).map((l) => l.message)).toEqual(['still here']);
  });

  it('follows the logger level: warn drops 2xx lines and keeps 4xx ones', async () => {
    const { app, access } = setup({ logging: { level: 'warn' } });
    await request(app).get('/api/products/1').expect(200);
    await request(app).get('/api/missing').expect(404);
    expect(access().map((l) => l['http.response.status_code'])).toEqual([404]);
  });

  it('pretty format writes the same access line readably', async () => {
    const { obs, logs } = testObservability({ tracing: false, logging: { format: 'pretty', colors: false } });
    const app = express();
    app.use(obs.middleware());
    app.get('/p/:id', (_req, res) => void res.send('ok'));
    await request(app).get('/p/7').expect(200);
    const text = logs.entries.map((e) => e[Symbol.for('message') as unknown as string] as string).join('\n');
    expect(text).toMatch(
      / info {2}\[test-service\/access\] request completed .*http\.request\.method=GET .*http\.route=\/p\/:id .*url\.path=\/p\/7 .*http\.response\.status_code=200/,
    );
  });

  it('redacts an access field the configured key list names', async () => {
    const { app, access } = setup({ logging: { redactKeys: ['user_agent'] } });
    await request(app).get('/api/products/1').set('User-Agent', 'secret-agent').expect(200);
    expect(access()[0]['user_agent.original']).toBe('[REDACTED]');
  });
});

describe('access log through the default LineTransport', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'access-line-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // The default output writes the finished line the access log built: it must be the very
  // line a transport that reads the fields gets.
  it('writes the same lines as a transport that reads the fields', async () => {
    const express = expressVersions[0][1];
    const file = join(dir, 'access.log');
    const build = (options: ObservabilityOptions) => {
      const { obs, logs } = testObservability({ tracing: { exporter: new InMemorySpanExporter(), processor: 'simple' }, ...options });
      const app = express();
      app.use(obs.middleware());
      app.get('/api/products/:id', (_req, res) => {
        res.json({ id: 1 });
      });
      app.get('/api/broken', () => {
        throw Object.assign(new TypeError('db exploded'), { code: 'E_DB' });
      });
      app.use(obs.errorHandler());
      return { app, logs };
    };
    const viaLine = build({ logging: { transports: [new LineTransport({ destination: file })] } });
    const viaMemory = build({});
    for (const { app } of [viaLine, viaMemory]) {
      await request(app).get('/api/products/42?x=1').set('User-Agent', 'jest-agent/1.0').expect(200);
      await request(app).get('/api/broken').expect(500);
    }
    await new Promise((r) => setImmediate(r));
    const varying = ['timestamp', 'request_id', 'trace_id', 'span_id', 'http.server.request.duration'];
    const stable = (line: Record<string, unknown>) => {
      for (const k of varying) {
        expect(line[k]).toBeDefined();
        delete line[k];
      }
      return line;
    };
    const fromFile = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.logger === 'access');
    const fromMemory = logLines(viaMemory.logs).filter((l) => l.logger === 'access');
    expect(fromFile).toHaveLength(2);
    expect(fromFile.map(stable)).toEqual(fromMemory.map(stable));
    expect(fromFile[1]).toMatchObject({ level: 'error', 'http.route': '/api/broken', 'error.type': 'TypeError' });
  });
});
