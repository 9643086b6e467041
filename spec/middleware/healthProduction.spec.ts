import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import type { ObservabilityOptions } from '../../lib/config';
import type { HealthOptions } from '../../lib/health/healthOptions';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';

afterEach(closeAll);

const TOKEN = 'probe-token-0123456789';

/** A failing check whose error has a stack: none of it may reach a caller. */
function failing(): Promise<never> {
  const error = new Error('password authentication failed for user "orders"');
  expect(error.stack).toMatch(/\n\s+at /);
  return Promise.reject(error);
}

const STACK = /\n\s+at |\bat .*\.(ts|js):\d+/;

describe.each(expressVersions)('production detail policy on %s', (_name, express) => {
  function app(health: HealthOptions = {}, extra: ObservabilityOptions = {}) {
    const { obs } = testObservability({
      environment: 'production',
      ...extra,
      health: { checks: { db: failing, ok: async () => ({ latencyMs: 2 }) }, ...health },
    });
    const a = express();
    a.use(obs.routes());
    return a;
  }

  it('anonymous callers get the status alone, on every route and in both formats', async () => {
    const a = app({ token: TOKEN, startup: 'auto' });
    for (const path of ['/health/detailed', '/health/ready']) {
      const res = await request(a).get(path).expect(503);
      expect(res.body).toEqual({ status: 'unhealthy' });
      const ietf = await request(a).get(path).set('Accept', 'application/health+json').expect(503);
      expect(JSON.parse(ietf.text)).toEqual({ status: 'fail' });
    }
    const startup = await request(app({ token: TOKEN, startup: 'manual' }))
      .get('/health/startup')
      .expect(503);
    expect(startup.body).toEqual({ status: 'unhealthy' });
  });

  it('a matching bearer token sees details and error messages, never a stack', async () => {
    const a = app({ token: TOKEN });
    const res = await request(a).get('/health/detailed').set('Authorization', `Bearer ${TOKEN}`).expect(503);
    expect(res.body.checks.db).toMatchObject({
      status: 'unhealthy',
      error: 'password authentication failed for user "orders"',
    });
    expect(res.body.checks.ok.details).toEqual({ latencyMs: 2 });
    expect(res.text).not.toMatch(STACK);
    const lower = await request(a).get('/health/ready').set('Authorization', `bearer ${TOKEN}`).expect(503);
    expect(lower.body.checks.db.error).toBeDefined();
    const ietf = await request(a)
      .get('/health/detailed')
      .set('Accept', 'application/health+json')
      .set('Authorization', `Bearer ${TOKEN}`);
    expect(JSON.parse(ietf.text).checks.db[0].output).toBe(
      'password authentication failed for user "orders"',
    );
    expect(ietf.text).not.toMatch(STACK);
  });

  it('a wrong, partial or non-bearer token sees the status alone', async () => {
    const a = app({ token: TOKEN });
    for (const auth of [
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${TOKEN}`,
      TOKEN,
      'Bearer ',
    ]) {
      const res = await request(a).get('/health/detailed').set('Authorization', auth).expect(503);
      expect(res.body).toEqual({ status: 'unhealthy' });
    }
  });

  it('the token may come from HEALTH_DETAILS_TOKEN', async () => {
    const a = app({}, { env: { HEALTH_DETAILS_TOKEN: TOKEN } });
    await request(a).get('/health/detailed').expect(503, { status: 'unhealthy' });
    const res = await request(a).get('/health/detailed').set('Authorization', `Bearer ${TOKEN}`).expect(503);
    expect(res.body.checks.db.error).toMatch(/password authentication failed/);
  });

  it('authorize(req) decides: true or a promise of true opens details; anything else does not', async () => {
    const byHeader = (req: IncomingMessage) => req.headers['x-role'] === 'ops';
    const sync = app({ authorize: byHeader });
    await request(sync).get('/health/detailed').expect(503, { status: 'unhealthy' });
    const ops = await request(sync).get('/health/detailed').set('x-role', 'ops').expect(503);
    expect(ops.body.checks.db.error).toMatch(/password authentication failed/);

    const asyncApp = app({ authorize: async (req) => byHeader(req) });
    const viaPromise = await request(asyncApp).get('/health/ready').set('x-role', 'ops').expect(503);
    expect(viaPromise.body.checks).toBeDefined();

    const truthy = app({ authorize: (() => 'yes') as unknown as () => boolean });
    await request(truthy).get('/health/detailed').expect(503, { status: 'unhealthy' });
    const throwing = app({
      authorize: () => {
        throw new Error('session store down');
      },
    });
    await request(throwing).get('/health/detailed').expect(503, { status: 'unhealthy' });
    const rejecting = app({ authorize: async () => Promise.reject(new Error('session store down')) });
    await request(rejecting).get('/health/detailed').expect(503, { status: 'unhealthy' });
  });

  it('without a token or authorize, nobody sees details in production; showDetails: never hides them from all', async () => {
    await request(app())
      .get('/health/detailed')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(503, { status: 'unhealthy' });
    const never = app({ token: TOKEN, showDetails: 'never' });
    await request(never)
      .get('/health/detailed')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(503, { status: 'unhealthy' });
  });

  it('outside production details are shown by default, still without a stack', async () => {
    const { obs } = testObservability({ environment: 'development', health: { checks: { db: failing } } });
    const a = express();
    a.use(obs.routes());
    const res = await request(a).get('/health/detailed').expect(503);
    expect(res.body.checks.db.error).toMatch(/password authentication failed/);
    expect(res.text).not.toMatch(STACK);
  });

  it('the liveness and summary routes carry no check details', async () => {
    const a = app({ token: TOKEN });
    const live = await request(a).get('/health/live').expect(200);
    const summary = await request(a).get('/health').expect(200);
    for (const body of [live.body, summary.body]) {
      expect(body).not.toHaveProperty('checks');
      expect(JSON.stringify(body)).not.toMatch(/password/);
    }
  });
});
