import { checks } from '../../../../lib/health/checks';
import { closeAll, testObservability } from '../../../helpers/testObservability';
import { closedPort, hangingServer, startHttp } from '../netHelpers';

afterEach(closeAll);

describe('checks.http against real loopback servers', () => {
  let dependency: Awaited<ReturnType<typeof startHttp>>;
  const seen: Array<{ url?: string; auth?: string; method?: string }> = [];
  beforeAll(async () => {
    dependency = await startHttp((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization, method: req.method });
      const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
      res.writeHead(status, { 'content-type': 'text/plain' }).end('x'.repeat(100_000));
    });
  });
  afterAll(() => dependency.close());

  async function run(check: ReturnType<typeof checks.http>) {
    const { obs } = testObservability({ health: { checks: { dep: check } } });
    return (await obs.health.report()).checks.dep;
  }

  it('2xx is healthy, with url (no credentials or query), status code and latency', async () => {
    const port = new URL(dependency.base).port;
    const result = await run(checks.http(`http://user:p%40ss@127.0.0.1:${port}/live?status=204`));
    expect(result).toMatchObject({
      status: 'healthy',
      critical: true,
      details: { url: `${dependency.base}/live`, statusCode: 204, latencyMs: expect.any(Number) },
    });
    // fetch refuses credentials in a URL; they travel as basic auth instead.
    expect(seen.at(-1)).toMatchObject({
      url: '/live?status=204',
      auth: `Basic ${Buffer.from('user:p@ss').toString('base64')}`,
    });
  });

  it('a non-2xx answer fails with the status in the message', async () => {
    const result = await run(checks.http(`${dependency.base}/live?status=503`));
    expect(result).toMatchObject({
      status: 'unhealthy',
      error: `GET ${dependency.base}/live answered 503; expected 2xx`,
    });
  });

  it('expectStatus, headers and method are honoured', async () => {
    const ok = await run(
      checks.http(`${dependency.base}/x?status=401`, { expectStatus: [401, 403], method: 'HEAD' }),
    );
    expect(ok.status).toBe('healthy');
    expect(seen.at(-1)).toMatchObject({ method: 'HEAD' });
    const strict = await run(checks.http(`${dependency.base}/x?status=200`, { expectStatus: 204 }));
    expect(strict.error).toMatch(/answered 200; expected 204$/);
    await run(checks.http(`${dependency.base}/auth`, { headers: { authorization: 'Bearer abc' } }));
    expect(seen.at(-1)).toMatchObject({ url: '/auth', auth: 'Bearer abc' });
  });

  it('a closed port fails fast with the connection error', async () => {
    const port = await closedPort();
    const started = Date.now();
    const result = await run(checks.http(`http://127.0.0.1:${port}/health`, { timeoutMs: 5000 }));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result).toMatchObject({
      status: 'unhealthy',
      error: `GET http://127.0.0.1:${port}/health failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    expect(result.timedOut).toBeUndefined();
  });

  it('a dependency that never answers times out, and the connection is aborted', async () => {
    const hanging = await hangingServer();
    try {
      const started = Date.now();
      const result = await run(checks.http(hanging.url, { timeoutMs: 200 }));
      expect(Date.now() - started).toBeLessThan(1500);
      expect(result).toMatchObject({ status: 'unhealthy', timedOut: true, error: 'timed out after 200 ms' });
      // The AbortSignal reached fetch: the client side hangs up instead of leaking the socket.
      // (undici may then open one idle spare connection, which its keep-alive timeout closes.)
      await waitFor(() => hanging.stats.closedByClient >= 1);
    } finally {
      await hanging.close();
    }
  });
});

async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
