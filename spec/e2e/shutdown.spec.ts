import { Agent } from 'node:http';
import { get, killShutdownFixture, startShutdownFixture as startFixture, type ShutdownFixture as Fixture } from '../fixtures/shutdownProcess';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('graceful shutdown in a child process', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    await killShutdownFixture(fixture);
    fixture = undefined;
  });

  it('SIGTERM: in-flight requests finish with 200, readiness is 503 during the delay, the server closes and the process exits by itself', async () => {
    const readinessDelayMs = 600;
    fixture = startFixture({ READINESS_DELAY_MS: String(readinessDelayMs) });
    const { port } = await fixture.waitFor('listening');
    const base = `http://127.0.0.1:${port}`;
    expect((await get(`${base}/health/ready`)).status).toBe(200);

    // Slow requests in flight over keep-alive connections, which the server must close once idle.
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    const inFlight = Array.from({ length: 6 }, () => get(`${base}/slow?ms=1500`, agent));
    await fixture.waitFor('started', 6);

    const sigtermAt = Date.now();
    fixture.child.kill('SIGTERM');

    // Readiness probes on new connections while the server still accepts.
    const probes: Array<{ at: number; status?: number; body?: string; error?: string }> = [];
    let live: { status?: number } | undefined;
    while (Date.now() - sigtermAt < 5000) {
      const probe = { at: Date.now() - sigtermAt, ...(await get(`${base}/health/ready`)) };
      probes.push(probe);
      if (probe.status === 503 && !live) live = await get(`${base}/health/live`);
      if (probe.error) break;
      await sleep(25);
    }
    // A second signal mid-drain must not kill the process.
    fixture.child.kill('SIGTERM');

    const answered = probes.filter((p) => p.status !== undefined);
    const first503 = answered.findIndex((p) => p.status === 503);
    expect(first503).toBeGreaterThanOrEqual(0);
    // Once readiness turned 503 it never went back to 200, for the whole delay.
    expect(answered.slice(first503).every((p) => p.status === 503)).toBe(true);
    expect(answered.slice(first503).length).toBeGreaterThan(3);
    expect(JSON.parse(answered[first503].body!)).toEqual({ status: 'unhealthy' });
    expect(live?.status).toBe(200);
    // Then the listener closed: new connections are refused.
    expect(probes.at(-1)!.error).toBe('ECONNREFUSED');
    expect(probes.at(-1)!.at).toBeGreaterThanOrEqual(readinessDelayMs - 50);

    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(results.every((r) => JSON.parse(r.body!).done === true)).toBe(true);
    agent.destroy();

    const done = await fixture.waitFor('done');
    expect(done.error).toBeNull();
    const exit = await fixture.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    // Without exit: true the process ended on its own, well before the 10 s grace period.
    expect(exit.at - sigtermAt).toBeLessThan(6000);
    expect(fixture.events.find((e) => e.event === 'exit')).toEqual({ event: 'exit', code: 0 });
  }, 60_000);

  it('a grace period cuts off requests that outlive it, and the process still exits by itself', async () => {
    fixture = startFixture({ READINESS_DELAY_MS: '0' });
    const { port } = await fixture.waitFor('listening');
    const base = `http://127.0.0.1:${port}`;
    const slow = get(`${base}/slow?ms=60000`);
    await fixture.waitFor('started');
    const sigtermAt = Date.now();
    fixture.child.kill('SIGTERM');
    // gracePeriodMs is 10 s in the fixture: the request is cut off then, not after 60 s.
    const result = await slow;
    expect(result.error).toBe('ECONNRESET');
    const exit = await fixture.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - sigtermAt).toBeGreaterThanOrEqual(9500);
    expect(exit.at - sigtermAt).toBeLessThan(15_000);
  }, 60_000);
});
