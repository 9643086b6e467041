import { Client, Pool } from 'pg';
import { checks } from '../../../../lib/health/checks';
import { closeAll, testObservability } from '../../../helpers/testObservability';
import { closedPort } from '../netHelpers';

const connection = {
  host: '127.0.0.1',
  port: 5432,
  database: 'test',
  user: process.env.PGUSER ?? 'postgres',
};

afterEach(closeAll);

describe('checks.postgres against the PostgreSQL server on 127.0.0.1', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ ...connection, max: 2 });
  });
  afterAll(() => pool.end());

  it('runs SELECT 1 through the app pool and reports latency and pool counters', async () => {
    const { obs } = testObservability({ health: { checks: { postgres: checks.postgres(pool) } } });
    const report = await obs.health.report();
    expect(report.status).toBe('healthy');
    const result = report.checks.postgres;
    expect(result).toMatchObject({ status: 'healthy', critical: true });
    expect(result.details).toEqual({
      latencyMs: expect.any(Number),
      totalCount: expect.any(Number),
      idleCount: expect.any(Number),
      waitingCount: 0,
    });
    expect(result.details!.totalCount).toBeGreaterThanOrEqual(1);
  });

  it('never opens a connection per probe: twenty probes reuse the pool', async () => {
    const { obs } = testObservability({
      health: { cacheMs: 0, checks: { postgres: checks.postgres(pool) } },
    });
    await obs.health.report();
    const before = pool.totalCount;
    for (let i = 0; i < 20; i++) expect((await obs.health.report()).status).toBe('healthy');
    expect(pool.totalCount).toBe(before);
    expect(obs.health.runCounts()).toEqual({ postgres: 21 });
  });

  it('works with a connected Client and a custom query', async () => {
    const client = new Client(connection);
    await client.connect();
    try {
      const { obs } = testObservability({
        health: { checks: { pg: checks.postgres(client, { query: 'SELECT now()', critical: false }) } },
      });
      const { checks: results } = await obs.health.report();
      expect(results.pg).toMatchObject({
        status: 'healthy',
        critical: false,
        details: { latencyMs: expect.any(Number) },
      });
      expect(results.pg.details).not.toHaveProperty('totalCount');
    } finally {
      await client.end();
    }
  });

  it('reports a SQL error with its message', async () => {
    const { obs } = testObservability({
      health: { checks: { pg: checks.postgres(pool, { query: 'SELECT * FROM no_such_table_xyz' }) } },
    });
    const { checks: results } = await obs.health.report();
    expect(results.pg).toMatchObject({ status: 'unhealthy' });
    expect(results.pg.error).toBe(
      'SELECT * FROM no_such_table_xyz failed: relation "no_such_table_xyz" does not exist',
    );
  });

  it('fails fast with a clear error against a closed port', async () => {
    const port = await closedPort();
    const dead = new Pool({ ...connection, port });
    try {
      const { obs } = testObservability({ health: { checks: { postgres: checks.postgres(dead) } } });
      const started = Date.now();
      const report = await obs.health.report();
      expect(Date.now() - started).toBeLessThan(1500);
      expect(report.status).toBe('unhealthy');
      expect(report.checks.postgres.timedOut).toBeUndefined();
      expect(report.checks.postgres.error).toBe(`SELECT 1 failed: connect ECONNREFUSED 127.0.0.1:${port}`);
    } finally {
      await dead.end();
    }
  });
});
