import Redis from 'ioredis';
import { Pool } from 'pg';
import { createClient, type RedisClientType } from 'redis';
import type { HealthOptions } from '../../lib/health/healthOptions';
import { checks } from '../../lib/health/checks';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';
import { get, hangingServer, startHttp, type HangingServer } from '../lib/health/netHelpers';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await closeAll();
});

/** Generous allowance over a deadline for a loaded, shared machine: still far below a hang. */
const MARGIN_MS = 700;

describe.each(expressVersions)('health routes with real dependencies on %s', (_name, express) => {
  let hanging: HangingServer;
  let pool: Pool;
  let nodeRedis: RedisClientType;
  let ioredis: Redis;

  beforeAll(async () => {
    hanging = await hangingServer();
    pool = new Pool({
      host: '127.0.0.1',
      port: 5432,
      database: 'test',
      user: process.env.PGUSER ?? 'postgres',
      max: 4,
    });
    nodeRedis = createClient({ socket: { host: '127.0.0.1', port: 6379 } });
    nodeRedis.on('error', () => undefined);
    await nodeRedis.connect();
    ioredis = new Redis({ host: '127.0.0.1', port: 6379 });
    await new Promise((resolve) => ioredis.once('ready', resolve));
  });
  afterAll(async () => {
    await hanging.close();
    await pool.end();
    await nodeRedis.close();
    await ioredis.quit();
  });

  async function serve(health: HealthOptions) {
    const { obs } = testObservability({ health });
    const app = express();
    app.use(obs.routes());
    const http = await startHttp(app.listen(0, '127.0.0.1'));
    servers.push(http);
    return { obs, base: http.base };
  }

  it('a dependency that accepts and never answers: detailed and ready answer within the check timeout and report it', async () => {
    const { base } = await serve({ checks: { payments: checks.http(hanging.url, { timeoutMs: 300 }) } });
    for (const path of ['/health/detailed', '/health/ready']) {
      const started = Date.now();
      const res = await get(`${base}${path}`);
      const took = Date.now() - started;
      expect(took).toBeLessThan(300 + MARGIN_MS);
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('unhealthy');
      expect(res.body.checks.payments).toMatchObject({ status: 'unhealthy', timedOut: true });
    }
  });

  it('a check slower than the probe deadline: answered by the deadline, timed out, still refreshing in the background', async () => {
    const { base, obs } = await serve({
      probeDeadlineMs: 300,
      checks: { payments: checks.http(hanging.url, { timeoutMs: 1500, cacheMs: 10_000 }) },
    });
    const started = Date.now();
    const res = await get(`${base}/health/ready`);
    expect(Date.now() - started).toBeLessThan(300 + MARGIN_MS);
    expect(res.status).toBe(503);
    expect(res.body.checks.payments).toMatchObject({ timedOut: true });
    expect(res.body.checks.payments.error).toMatch(/probe deadline of 300 ms; still running/);
    // The run goes on to its own timeout and the failure is cached: no second run.
    await new Promise((r) => setTimeout(r, 1500));
    const cached = await get(`${base}/health/detailed`);
    expect(cached.body.checks.payments).toMatchObject({
      cached: true,
      timedOut: true,
      error: 'timed out after 1500 ms',
    });
    expect(obs.health.runCounts()).toEqual({ payments: 1 });
  });

  it('200 concurrent /health/ready requests run each check exactly once', async () => {
    let slowRuns = 0;
    const { base, obs } = await serve({
      cacheMs: 10_000,
      checks: {
        postgres: checks.postgres(pool),
        'redis-node': checks.redis(nodeRedis),
        'redis-io': checks.redis(ioredis),
        slow: async () => {
          slowRuns++;
          await new Promise((r) => setTimeout(r, 100));
        },
      },
    });
    const responses = await Promise.all(Array.from({ length: 200 }, () => get(`${base}/health/ready`)));
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(200));
    expect(responses.every((r) => r.body.status === 'healthy')).toBe(true);
    expect(obs.health.runCounts()).toEqual({ postgres: 1, 'redis-node': 1, 'redis-io': 1, slow: 1 });
    expect(slowRuns).toBe(1);
  });

  it('failures are cached: repeated probes of a failing database run the check once', async () => {
    // A "database" that accepts and never speaks: pg gives up after its connection timeout.
    const dead = new Pool({
      host: '127.0.0.1',
      port: hanging.port,
      database: 'test',
      connectionTimeoutMillis: 200,
    });
    try {
      const { base, obs } = await serve({
        cacheMs: 10_000,
        checks: { postgres: checks.postgres(dead, { timeoutMs: 400 }) },
      });
      for (let i = 0; i < 20; i++) {
        const res = await get(`${base}/health/ready`);
        expect(res.status).toBe(503);
        expect(res.body.checks.postgres).toMatchObject({
          status: 'unhealthy',
          error: expect.stringMatching(/^SELECT 1 failed: /),
        });
      }
      expect(obs.health.runCounts()).toEqual({ postgres: 1 });
    } finally {
      await dead.end();
    }
  });
});
