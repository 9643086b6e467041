import { checks } from '../../../../lib/health/checks';
import type { HealthCheckDefinition } from '../../../../lib/health/healthTypes';
import { closeAll, testObservability } from '../../../helpers/testObservability';

afterEach(closeAll);

async function run(check: HealthCheckDefinition) {
  const { obs } = testObservability({ health: { cacheMs: 0, checks: { r: check } } });
  const report = await obs.health.report();
  return {
    status: report.status,
    result: report.checks.r,
    again: async () => (await obs.health.report()).checks.r,
  };
}

function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Burn CPU and block the event loop on purpose.
  }
}

describe('resource checks', () => {
  it('memory: healthy under the default thresholds, with values and thresholds', async () => {
    const { result } = await run(checks.memory());
    expect(result).toMatchObject({
      status: 'healthy',
      critical: false,
      details: {
        heapUsedBytes: expect.any(Number),
        heapLimitBytes: expect.any(Number),
        heapUsedRatio: expect.any(Number),
        maxHeapUsedRatio: 0.9,
        rssBytes: expect.any(Number),
      },
    });
  });

  it('memory: over a threshold is degraded, and unhealthy only when declared critical', async () => {
    const soft = await run(checks.memory({ maxHeapUsedRatio: 0, maxRssBytes: 1024 }));
    expect(soft.status).toBe('degraded');
    expect(soft.result.details!.reason).toMatch(/^heap used [\d.]+ of the limit > 0; rss \d+ bytes > 1024$/);
    const hard = await run(checks.memory({ maxRssBytes: 1024, critical: true }));
    expect(hard.status).toBe('unhealthy');
  });

  it("memory: the machine's used memory against maxSystemUsedRatio, as the seed's memory_percent", async () => {
    const ok = await run(checks.memory({ maxSystemUsedRatio: 1 }));
    expect(ok.result.details).toMatchObject({ maxSystemUsedRatio: 1, systemTotalBytes: expect.any(Number) });
    expect(ok.result.details!.systemUsedRatio).toBeGreaterThan(0);
    expect(ok.result.details!.systemUsedRatio).toBeLessThan(1);
    const full = await run(checks.memory({ maxSystemUsedRatio: 0 }));
    expect(full.status).toBe('degraded');
    expect(full.result.details!.reason).toMatch(/^system memory used [\d.]+ > 0$/);
    expect(() => checks.memory({ maxSystemUsedRatio: 1.5 })).toThrow(/checks\.memory\.maxSystemUsedRatio/);
  });

  it('disk: reports free space on a path; below the minimum is degraded; a missing path fails', async () => {
    const ok = await run(checks.disk({ path: process.cwd() }));
    expect(ok.result).toMatchObject({
      status: 'healthy',
      details: {
        path: process.cwd(),
        freeBytes: expect.any(Number),
        totalBytes: expect.any(Number),
        minFreeRatio: 0.1,
      },
    });
    const full = await run(
      checks.disk({ path: process.cwd(), minFreeRatio: 1, minFreeBytes: Number.MAX_SAFE_INTEGER }),
    );
    expect(full.result.status).toBe('degraded');
    expect(full.result.details!.reason).toMatch(/bytes free < \d+; free ratio [\d.]+ < 1$/);
    const missing = await run(checks.disk({ path: '/no/such/dir-xyz' }));
    expect(missing.result).toMatchObject({ status: 'degraded', critical: false });
    expect(missing.result.error).toMatch(/ENOENT/);
  });

  it('cpu: the seed threshold of 90 % by default; over it is degraded', async () => {
    const ok = await run(checks.cpu({ maxCpuPercent: 100 }));
    expect(ok.result).toMatchObject({
      status: 'healthy',
      critical: false,
      details: {
        cpuPercent: expect.any(Number),
        loadPerCore: expect.any(Number),
        cores: expect.any(Number),
        maxCpuPercent: 100,
      },
    });
    expect(checks.cpu().check).toBeInstanceOf(Function);
    const hot = checks.cpu({ maxCpuPercent: 0 });
    busy(150);
    const { result } = await run(hot);
    expect(result.status).toBe('degraded');
    expect(result.details!.cpuPercent).toBeGreaterThan(0);
    expect(result.details!.reason).toMatch(/^cpu [\d.]+% > 0%$/);
  });

  it('eventLoop: healthy when idle, degraded after the loop was blocked', async () => {
    const { result, again } = await run(checks.eventLoop({ maxDelayMs: 100 }));
    expect(result).toMatchObject({
      status: 'healthy',
      critical: false,
      details: { maxDelayMs: 100, p99DelayMs: expect.any(Number) },
    });
    // Node's histogram drops the first interval after reset(): let one normal turn pass first.
    await new Promise((r) => setTimeout(r, 30));
    busy(300);
    // Let the histogram's timer record the late turn.
    await new Promise((r) => setTimeout(r, 30));
    const blocked = await again();
    expect(blocked.status).toBe('degraded');
    expect(blocked.details!.maxDelayMsSeen).toBeGreaterThan(200);
    expect(blocked.details!.reason).toMatch(/^p99 delay [\d.]+ ms > 100 ms$/);
  });
});
