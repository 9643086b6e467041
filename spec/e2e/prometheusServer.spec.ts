import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { closeAll, testObservability } from '../helpers/testObservability';

afterEach(closeAll);

const REQUESTS = 37;

/** A free loopback port for Prometheus (it cannot report an ephemeral one it picked itself). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

async function poll<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await attempt();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

describe('a real Prometheus server scraping the app', () => {
  let prometheus: ChildProcess | undefined;
  let app: Server | undefined;
  let dir: string | undefined;
  let log = '';

  afterEach(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      const timer = setTimeout(() => prometheus!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (app) {
      app.closeAllConnections();
      await new Promise((r) => app!.close(r));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stores http_requests_total for a route equal to the requests sent, with trace exemplars', async () => {
    const { obs } = testObservability({ metrics: { exemplars: true } });
    const a = express();
    a.use(obs.middleware());
    a.use(obs.routes());
    a.get('/api/items/:id', (_req, res) => {
      res.json({ ok: true });
    });
    app = a.listen(0, '127.0.0.1');
    await new Promise((r) => app!.once('listening', r));
    const appPort = (app.address() as AddressInfo).port;
    for (let i = 0; i < REQUESTS; i++) {
      const r = await fetch(`http://127.0.0.1:${appPort}/api/items/${i}`);
      expect(r.status).toBe(200);
    }

    dir = await mkdtemp(join(tmpdir(), 'prom-e2e-'));
    const promPort = await freePort();
    await writeFile(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 900ms',
        'scrape_configs:',
        '  - job_name: app',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${appPort}']`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--enable-feature=exemplar-storage',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (d) => (log += d));
    prometheus.stderr!.on('data', (d) => (log += d));
    const spawnError = new Promise<never>((_, reject) =>
      prometheus!.once('error', (e) => reject(new Error(`prometheus is required (Debian package "prometheus"): ${e.message}`))),
    );

    const api = `http://127.0.0.1:${promPort}/api/v1`;
    const query = async (q: string) => {
      const body = (await (await fetch(`${api}/query?query=${encodeURIComponent(q)}`)).json()) as {
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      return body.data.result;
    };
    const stored = await Promise.race([
      spawnError,
      poll('Prometheus storing the request count', 45_000, async () => {
        const result = await query('http_requests_total{job="app",route="/api/items/:id"}');
        return result.length === 1 ? result[0] : undefined;
      }),
    ]).catch((e: Error) => {
      throw new Error(`${e.message}\nprometheus log:\n${log}`);
    });
    expect(stored.metric).toMatchObject({ method: 'GET', route: '/api/items/:id', status_code: '200', service: 'test-service' });
    expect(Number(stored.value[1])).toBe(REQUESTS);

    const up = await query('up{job="app"}');
    expect(up.map((r) => r.value[1])).toEqual(['1']);
    const duration = await query('sum(http_request_duration_seconds_count{route="/api/items/:id"})');
    expect(Number(duration[0]!.value[1])).toBe(REQUESTS);

    // Prometheus asked for OpenMetrics, so the sampled requests' trace ids came along as exemplars.
    const exemplars = await poll('exemplars stored', 15_000, async () => {
      const now = Date.now() / 1000;
      const q = encodeURIComponent('http_request_duration_seconds_bucket{route="/api/items/:id"}');
      const body = (await (await fetch(`${api}/query_exemplars?query=${q}&start=${now - 600}&end=${now + 60}`)).json()) as {
        data: Array<{ exemplars: Array<{ labels: Record<string, string> }> }>;
      };
      const all = body.data.flatMap((s) => s.exemplars);
      return all.length > 0 ? all : undefined;
    });
    expect(exemplars[0]!.labels.trace_id).toMatch(/^[0-9a-f]{32}$/);
  }, 90_000);
});
