import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startOtlpReceiver } from '../fixtures/tracingOtlpReceiver';
import { get, killShutdownFixture, startShutdownFixture, type ShutdownFixture } from '../fixtures/shutdownProcess';

// A dead trace backend must not stretch the shutdown past the grace period: the final
// flush is cut off at the deadline, and the spans it could not deliver are counted and reported.
jest.setTimeout(60_000);

const GRACE_MS = 5000;
/** What the shutdown may take beyond the grace period: the log flush and process teardown. */
const MARGIN_MS = 1000;

async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

let fixture: ShutdownFixture | undefined;
afterEach(async () => {
  await killShutdownFixture(fixture);
  fixture = undefined;
});

/** Serves 20 traced requests (their spans wait in the batch queue), then SIGTERM: when the shutdown finished and the process ended. */
async function shutDownWith(endpoint: string, env: Record<string, string> = {}) {
  fixture = startShutdownFixture({
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    GRACE_PERIOD_MS: String(GRACE_MS),
    READINESS_DELAY_MS: '0',
    ...env,
  });
  const { port } = await fixture.waitFor('listening');
  for (let i = 0; i < 20; i++) expect((await get(`http://127.0.0.1:${port}/slow?ms=0`)).status).toBe(200);
  const sigtermAt = Date.now();
  fixture.child.kill('SIGTERM');
  const done = await fixture.waitFor('done', 1, 20_000);
  const doneMs = Date.now() - sigtermAt;
  const exit = await fixture.exited;
  return { doneMs, exitMs: exit.at - sigtermAt, code: exit.code, done };
}

function expectCutOffCounted(done: Record<string, any>): void {
  expect(done.error).toBeNull();
  // The 20 server spans were still queued: none reached the backend, all counted as cut off.
  expect(done.tracing.exportedSpans).toBe(0);
  expect(done.tracing.droppedShutdown).toBeGreaterThanOrEqual(20);
  expect(done.reports.shutdown).toEqual([
    expect.stringMatching(/span flush cut off by the shutdown deadline after \d+ ms: \d+ spans dropped/),
  ]);
}

function log(name: string, r: { doneMs: number; exitMs: number }): void {
  process.stdout.write(`shutdown, backend ${name}: done ${r.doneMs} ms, exit ${r.exitMs} ms after SIGTERM (grace ${GRACE_MS} ms)\n`);
}

it('backend accepting and never answering: the shutdown finishes and the process ends by itself within the grace period', async () => {
  const receiver = await startOtlpReceiver('hang');
  try {
    const result = await shutDownWith(receiver.url);
    log('hanging', result);
    expect(result.code).toBe(0);
    expect(result.doneMs).toBeLessThan(GRACE_MS + MARGIN_MS);
    // The exporter's open request does not hold the process: it ends with the shutdown.
    expect(result.exitMs).toBeLessThan(GRACE_MS + MARGIN_MS);
    expectCutOffCounted(result.done);
    expect(receiver.requests.length).toBeGreaterThan(0);
  } finally {
    await receiver.close();
  }
});

it('backend refusing connections, with exit: true: the process exits within the grace period', async () => {
  const result = await shutDownWith(await refusedUrl(), { EXIT: '1' });
  log('refused (exit: true)', result);
  expect(result.code).toBe(0);
  expect(result.exitMs).toBeLessThan(GRACE_MS + MARGIN_MS);
  expectCutOffCounted(result.done);
});

it('backend refusing connections, without exit: the shutdown finishes within the grace period; the exporter retry timers end within its timeout', async () => {
  const result = await shutDownWith(await refusedUrl());
  log('refused', result);
  expect(result.code).toBe(0);
  expect(result.doneMs).toBeLessThan(GRACE_MS + MARGIN_MS);
  expectCutOffCounted(result.done);
  // The OTLP exporter's retry timers (no API cancels them) outlive the shutdown, until its
  // 10 s timeout from the first attempt of the final flush.
  expect(result.exitMs).toBeLessThan(10_000 + MARGIN_MS);
});
