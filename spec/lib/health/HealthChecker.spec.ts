import type { HealthOptions } from '../../../lib/health/healthOptions';
import { closeAll, testObservability } from '../../helpers/testObservability';

afterEach(closeAll);

function checker(health: HealthOptions, onError?: (e: unknown) => void) {
  return testObservability({ health, ...(onError ? { onError } : {}) }).obs.health;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HealthChecker', () => {
  it('runs checks in parallel', async () => {
    let active = 0;
    let most = 0;
    const slow = async () => {
      active++;
      most = Math.max(most, active);
      await sleep(50);
      active--;
    };
    const health = checker({ checks: { a: slow, b: slow, c: slow } });
    const report = await health.report();
    expect(most).toBe(3);
    expect(report.status).toBe('healthy');
    expect(Object.keys(report.checks).sort()).toEqual(['a', 'b', 'c']);
  });

  it('fails a check that outlives its timeout, aborts its signal and keeps no stack', async () => {
    let aborted: unknown;
    const health = checker({
      checks: {
        hang: {
          timeoutMs: 100,
          check: (signal) =>
            new Promise(() => {
              signal.addEventListener('abort', () => (aborted = signal.reason));
            }),
        },
      },
    });
    const started = Date.now();
    const report = await health.report();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.status).toBe('unhealthy');
    expect(report.checks.hang).toMatchObject({
      status: 'unhealthy',
      timedOut: true,
      error: 'timed out after 100 ms',
    });
    expect(aborted).toBeInstanceOf(Error);
  });

  it('caches results for cacheMs, then runs again', async () => {
    let runs = 0;
    const health = checker({ checks: { db: { cacheMs: 150, check: async () => ({ run: ++runs }) } } });
    const first = await health.report();
    const second = await health.report();
    expect(first.checks.db.details).toEqual({ run: 1 });
    expect(second.checks.db).toMatchObject({ cached: true, details: { run: 1 } });
    await sleep(200);
    const third = await health.report();
    expect(third.checks.db.details).toEqual({ run: 2 });
    expect(health.runCounts()).toEqual({ db: 2 });
  });

  it('caches failures too, so a failing dependency is not hammered', async () => {
    const health = checker({
      cacheMs: 10_000,
      checks: { db: async () => Promise.reject(new Error('refused')) },
    });
    for (let i = 0; i < 5; i++) {
      const r = await health.report();
      expect(r.checks.db).toMatchObject({ status: 'unhealthy', error: 'refused' });
    }
    expect(health.runCounts()).toEqual({ db: 1 });
  });

  it('coalesces concurrent callers onto one in-flight run', async () => {
    const health = checker({ cacheMs: 0, checks: { db: () => sleep(50) } });
    const reports = await Promise.all(Array.from({ length: 100 }, () => health.report()));
    expect(reports.every((r) => r.status === 'healthy')).toBe(true);
    expect(health.runCounts()).toEqual({ db: 1 });
  });

  it('answers by the probe deadline, then serves the last result marked stale while a refresh runs', async () => {
    let calls = 0;
    const health = checker({
      checks: {
        slow: { timeoutMs: 5000, cacheMs: 0, check: async () => (++calls === 1 ? sleep(300) : sleep(400)) },
      },
    });
    const t0 = Date.now();
    const first = await health.report({ deadlineMs: 50 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(first.checks.slow).toMatchObject({ status: 'unhealthy', timedOut: true });
    expect(first.checks.slow.error).toMatch(/probe deadline of 50 ms; still running/);
    // The run goes on in the background and fills the cache.
    await sleep(400);
    expect(health.lastResults()[0]).toMatchObject({ name: 'slow', status: 'healthy' });
    const second = await health.report({ deadlineMs: 50 });
    expect(second.checks.slow).toMatchObject({ status: 'healthy', stale: true, cached: true });
    expect(health.runCounts()).toEqual({ slow: 2 });
  });

  it('maps critical and non-critical failures, false and explicit statuses', async () => {
    const health = checker({
      checks: {
        ok: async () => ({ latencyMs: 3 }),
        soft: { critical: false, check: async () => Promise.reject(new Error('cache down')) },
        slowish: async () => ({ status: 'degraded', queue: 7 }),
        softUnhealthy: { critical: false, check: async () => ({ status: 'unhealthy' }) },
      },
    });
    const report = await health.report();
    expect(report.status).toBe('degraded');
    expect(report.checks.ok).toMatchObject({ status: 'healthy', critical: true, details: { latencyMs: 3 } });
    expect(report.checks.soft).toMatchObject({ status: 'degraded', critical: false, error: 'cache down' });
    expect(report.checks.slowish).toMatchObject({ status: 'degraded', details: { queue: 7 } });
    expect(report.checks.softUnhealthy.status).toBe('degraded');

    const hard = checker({ checks: { db: async () => false, sync: () => ({ fine: true }) } });
    const r2 = await hard.report();
    expect(r2.status).toBe('unhealthy');
    expect(r2.checks.db.status).toBe('unhealthy');
    expect(r2.checks.sync).toMatchObject({ status: 'healthy', details: { fine: true } });
  });

  it('reports the seed fields', async () => {
    const report = await checker({}).report();
    expect(report).toMatchObject({
      service: 'test-service',
      version: '1.2.3',
      status: 'healthy',
      checks: {},
    });
    expect(new Date(report.timestamp).toISOString()).toBe(report.timestamp);
    expect(report.responseTimeMs).toBeGreaterThanOrEqual(0);
    expect(report.uptimeSeconds).toBeGreaterThan(0);
  });

  it('brings out causes, joins aggregate errors, bounds long messages and never keeps a stack', async () => {
    const health = checker({
      checks: {
        caused: async () =>
          Promise.reject(new Error('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') })),
        both: async () =>
          Promise.reject(
            new AggregateError([
              new Error('connect ECONNREFUSED ::1:1'),
              new Error('connect ECONNREFUSED 127.0.0.1:1'),
            ]),
          ),
        long: async () => Promise.reject(new Error('x'.repeat(5000))),
        thrownString: () => {
          throw 'plain';
        },
      },
    });
    const { checks } = await health.report();
    expect(checks.caused.error).toBe('fetch failed: connect ECONNREFUSED 127.0.0.1:1');
    expect(checks.both.error).toBe('connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1');
    expect(checks.long.error!.length).toBe(500);
    expect(checks.thrownString.error).toBe('plain');
    expect(JSON.stringify(checks)).not.toMatch(/\n\s+at /);
  });

  it('tracks startup checks and isolates failing result listeners', async () => {
    const reported: unknown[] = [];
    let ok = false;
    const health = checker(
      { cacheMs: 0, checks: { migrations: { startup: true, check: async () => ok } } },
      (e) => reported.push(e),
    );
    health.onResult(() => {
      throw new Error('listener broke');
    });
    await health.report();
    expect(health.startupChecksPassed()).toBe(false);
    ok = true;
    await health.report();
    expect(health.startupChecksPassed()).toBe(true);
    expect(reported).toHaveLength(2);
  });
});
