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
    expect(body).toMatchObject({ status: 'fail', serviceId: 'test-service', checks: { db: [{ status: 'fail', output: 'refused' }] } });
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
