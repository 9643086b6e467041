import request from 'supertest';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';
import type { ObservabilityOptions } from '../../lib/config';

afterEach(closeAll);

describe.each(expressVersions)('health routes on %s', (_name, express) => {
  function app(options: ObservabilityOptions = {}) {
    const { obs } = testObservability(options);
    const a = express();
    a.use(obs.middleware());
    a.use(obs.routes());
    a.get('/api/hello', (_req, res) => {
      res.json({ hello: 'world' });
    });
    return { app: a, obs };
  }

  it('GET /health answers a fast summary without running checks', async () => {
    let runs = 0;
    const { app: a } = app({ health: { checks: { db: async () => void runs++ } } });
    const res = await request(a).get('/health?x=1').expect(200);
    expect(res.body).toMatchObject({ status: 'healthy', service: 'test-service', version: '1.2.3' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(runs).toBe(0);
  });

  it('/health/detailed maps healthy to 200, degraded and unhealthy to 503', async () => {
    const healthy = app({ health: { checks: { a: async () => ({ latencyMs: 1 }) } } });
    const r1 = await request(healthy.app).get('/health/detailed').expect(200);
    expect(r1.body.status).toBe('healthy');
    expect(r1.body.checks.a).toMatchObject({ status: 'healthy', critical: true, details: { latencyMs: 1 } });

    const degraded = app({
      health: {
        checks: {
          a: async () => undefined,
          cache: { check: async () => Promise.reject(new Error('cache down')), critical: false },
        },
      },
    });
    const r2 = await request(degraded.app).get('/health/detailed').expect(503);
    expect(r2.body.status).toBe('degraded');
    expect(r2.body.checks.cache).toMatchObject({ status: 'degraded', error: 'cache down' });
    await request(degraded.app).get('/health/ready').expect(200);

    const unhealthy = app({ health: { checks: { db: async () => Promise.reject(new Error('refused')) } } });
    const r3 = await request(unhealthy.app).get('/health/detailed').expect(503);
    expect(r3.body.status).toBe('unhealthy');
    expect(JSON.stringify(r3.body)).not.toMatch(/\bat .*\.ts:\d+/);
    await request(unhealthy.app).get('/health/ready').expect(503);
  });

  it('answers in the IETF format when asked', async () => {
    const { app: a } = app({ health: { checks: { db: async () => Promise.reject(new Error('refused')) } } });
    const res = await request(a).get('/health/detailed').set('Accept', 'application/health+json').expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/health\+json/);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({
      status: 'fail',
      serviceId: 'test-service',
      checks: { db: [{ status: 'fail', output: 'refused' }] },
    });
  });

  it('HEAD works and other methods fall through', async () => {
    const { app: a } = app();
    await request(a).head('/health/live').expect(200);
    await request(a).post('/health').expect(404);
  });

  it('live stays 200 during shutdown while ready turns 503', async () => {
    const { app: a, obs } = app({ health: { checks: { db: async () => undefined } } });
    await request(a).get('/health/ready').expect(200);
    const closing = obs.shutdown();
    await request(a).get('/health/ready').expect(503);
    await request(a).get('/health/live').expect(200);
    await closing;
  });

  it('startup is 503 until markStarted in manual mode, and ready follows', async () => {
    const { app: a, obs } = app({ health: { startup: 'manual' } });
    await request(a).get('/health/startup').expect(503);
    await request(a).get('/health/ready').expect(503);
    obs.markStarted();
    await request(a).get('/health/startup').expect(200);
    await request(a).get('/health/ready').expect(200);
  });

  it('/health/live answers 503 when the event loop was blocked beyond maxEventLoopDelayMs', async () => {
    const { app: a } = app({ health: { maxEventLoopDelayMs: 50 } });
    await request(a).get('/health/live').expect(200);
    await new Promise((r) => setTimeout(r, 40));
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // Block the event loop on purpose.
    }
    const res = await request(a).get('/health/live').expect(503);
    expect(res.body).toMatchObject({ status: 'unhealthy', maxEventLoopDelayMs: 50 });
    expect(res.body.eventLoopDelayP99Ms).toBeGreaterThan(50);
  });

  it('/health/detailed status codes are configurable', async () => {
    const { app: a } = app({
      health: {
        detailedStatusCodes: { degraded: 200, unhealthy: 500 },
        checks: { soft: { critical: false, check: async () => Promise.reject(new Error('slow disk')) } },
      },
    });
    const res = await request(a).get('/health/detailed').expect(200);
    expect(res.body.status).toBe('degraded');
    const { app: b } = app({
      health: { detailedStatusCodes: { unhealthy: 500 }, checks: { db: async () => false } },
    });
    await request(b).get('/health/detailed').expect(500);
  });

  it('a startup check gates /health/startup and /health/ready, and readiness runs it itself', async () => {
    let migrated = false;
    const { app: a } = app({
      health: { cacheMs: 0, checks: { migrations: { startup: true, check: async () => migrated } } },
    });
    const notYet = await request(a).get('/health/startup').expect(503);
    expect(notYet.body).toMatchObject({ status: 'unhealthy', reason: 'startup checks have not passed yet' });
    const notReady = await request(a).get('/health/ready').expect(503);
    expect(notReady.body.reason).toBe('startup checks have not passed yet');
    migrated = true;
    // No call to /health/startup in between: readiness must not depend on a startup probe being configured.
    await request(a).get('/health/ready').expect(200);
    await request(a).get('/health/startup').expect(200);
  });

  it('every route answers under a custom basePath, HEAD included, query strings ignored', async () => {
    const { app: a } = app({ health: { basePath: '/probe', checks: { db: async () => undefined } } });
    for (const path of ['/probe', '/probe/live', '/probe/ready', '/probe/startup', '/probe/detailed']) {
      const res = await request(a).get(`${path}?verbose=1`).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      await request(a).head(path).expect(200);
    }
    await request(a).get('/health').expect(404);
  });

  it('the IETF format maps statuses and keeps lifecycle reasons', async () => {
    const { app: a, obs } = app({
      health: { checks: { soft: { critical: false, check: async () => Promise.reject(new Error('x')) } } },
    });
    const warn = await request(a).get('/health/ready').set('Accept', 'application/health+json').expect(200);
    expect(JSON.parse(warn.text)).toMatchObject({
      status: 'warn',
      checks: { soft: [{ componentId: 'soft', status: 'warn' }] },
    });
    const closing = obs.shutdown();
    const fail = await request(a).get('/health/ready').set('Accept', 'application/health+json').expect(503);
    expect(fail.headers['content-type']).toMatch(/^application\/health\+json/);
    expect(JSON.parse(fail.text)).toEqual({ status: 'fail', output: 'shutting down' });
    await closing;
  });

  it('GET /info reports service and package build info', async () => {
    const { app: a } = app();
    const res = await request(a).get('/info').expect(200);
    expect(res.body.service).toEqual({ name: 'test-service', version: '1.2.3', environment: 'test' });
    expect(res.body.build).toMatchObject({ name: 'express-observability' });
  });

  it('returns the request id it was given, or a new UUID for an odd one', async () => {
    const { app: a } = app();
    const kept = await request(a).get('/api/hello').set('x-request-id', 'abc-123').expect(200);
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await request(a).get('/api/hello').set('x-request-id', 'bad id <script>').expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
