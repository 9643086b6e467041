import Redis from 'ioredis';
import { createClient } from 'redis';
import { checks } from '../../../../lib/health/checks';
import { closeAll, testObservability } from '../../../helpers/testObservability';
import { closedPort } from '../netHelpers';

afterEach(closeAll);

/** Connections the Redis server sees, by client name. */
async function connectionsNamed(admin: Redis, name: string): Promise<number> {
  const list = (await admin.call('CLIENT', 'LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
}

describe('checks.redis against the Redis server on 127.0.0.1', () => {
  let admin: Redis;
  beforeAll(() => {
    admin = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false });
  });
  afterAll(() => admin.quit());

  it('PINGs through a node-redis client and never opens a connection per probe', async () => {
    const name = `hc-node-redis-${process.pid}`;
    const client = createClient({ socket: { host: '127.0.0.1', port: 6379 }, name });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const { obs } = testObservability({ health: { cacheMs: 0, checks: { redis: checks.redis(client) } } });
      for (let i = 0; i < 10; i++) {
        const { checks: results } = await obs.health.report();
        expect(results.redis).toMatchObject({
          status: 'healthy',
          details: { client: 'node-redis', latencyMs: expect.any(Number) },
        });
      }
      expect(await connectionsNamed(admin, name)).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('PINGs through an ioredis client and never opens a connection per probe', async () => {
    const name = `hc-ioredis-${process.pid}`;
    const client = new Redis({ host: '127.0.0.1', port: 6379, connectionName: name });
    await new Promise((resolve) => client.once('ready', resolve));
    try {
      const { obs } = testObservability({ health: { cacheMs: 0, checks: { redis: checks.redis(client) } } });
      for (let i = 0; i < 10; i++) {
        const { checks: results } = await obs.health.report();
        expect(results.redis).toMatchObject({
          status: 'healthy',
          details: { client: 'ioredis', latencyMs: expect.any(Number) },
        });
      }
      expect(await connectionsNamed(admin, name)).toBe(1);
    } finally {
      await client.quit();
    }
  });

  it('node-redis against a closed port: fails fast, not after the timeout', async () => {
    const port = await closedPort();
    const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: 50 } });
    client.on('error', () => undefined);
    client.connect().catch(() => undefined);
    try {
      const { obs } = testObservability({
        health: { timeoutMs: 5000, checks: { redis: checks.redis(client) } },
      });
      const started = Date.now();
      const { checks: results } = await obs.health.report();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(results.redis).toMatchObject({
        status: 'unhealthy',
        error: 'not connected (node-redis client is connecting or reconnecting); PING not sent',
      });
    } finally {
      client.destroy();
    }
  });

  it('node-redis after close(): reports the client closed', async () => {
    const client = createClient({ socket: { host: '127.0.0.1', port: 6379 } });
    await client.connect();
    await client.close();
    const { obs } = testObservability({ health: { checks: { redis: checks.redis(client) } } });
    const { checks: results } = await obs.health.report();
    expect(results.redis.error).toBe('not connected (node-redis client is closed); PING not sent');
  });

  it('ioredis against a closed port: fails fast, not after the timeout', async () => {
    const port = await closedPort();
    const client = new Redis({ host: '127.0.0.1', port, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    try {
      const { obs } = testObservability({
        health: { timeoutMs: 5000, checks: { redis: checks.redis(client) } },
      });
      const started = Date.now();
      const { checks: results } = await obs.health.report();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(results.redis.status).toBe('unhealthy');
      expect(results.redis.error).toMatch(
        /^not connected \(ioredis status "(connecting|reconnecting)"\); PING not sent$/,
      );
    } finally {
      client.disconnect();
    }
  });

  it('ioredis with lazyConnect: the check does not connect it', async () => {
    const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    const { obs } = testObservability({ health: { checks: { redis: checks.redis(client) } } });
    const { checks: results } = await obs.health.report();
    expect(results.redis.error).toBe('not connected (ioredis status "wait"); PING not sent');
    expect(client.status).toBe('wait');
    client.disconnect();
  });
});
