import { spawn } from 'node:child_process';
import type { Summary } from 'prom-client';
import request from 'supertest';
import type { ObservabilityOptions } from '../../lib/config';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';

afterEach(closeAll);

/** Runs `promtool check metrics` on `text`; resolves with its exit code and output. Fails when promtool is missing. */
function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('promtool did not finish within 20 s'));
    }, 20_000);
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`promtool is required (Debian package "prometheus"; npm test installs it): ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.stdin.end(text);
  });
}

describe.each(expressVersions)('promtool check metrics on %s', (_name, express) => {
  async function scrapeOfBusyApp(options: ObservabilityOptions): Promise<string> {
    const { obs } = testObservability({
      ...options,
      onError: () => undefined,
      health: { checks: { db: async () => undefined, cache: { check: async () => Promise.reject(new Error('down')), critical: false } } },
    });
    const m = obs.metrics!;
    const app = express();
    app.use(obs.middleware());
    app.use(obs.routes());
    const api = express.Router();
    api.get('/items/:id', (_req, res) => {
      res.json({ ok: true });
    });
    api.post('/items', (req, res) => {
      req.resume();
      req.on('end', () => res.status(201).send('created'));
    });
    app.use('/api', api);
    app.get('/fail', (_req, _res, next) => next(new Error('boom')));
    app.use(obs.errorHandler());
    await request(app).get('/api/items/1').expect(200);
    await request(app).post('/api/items').send({ name: 'x' }).expect(201);
    await request(app).get('/fail').expect(500);
    await request(app).get('/missing').expect(404);

    // Every metric type and helper in use, self-metrics with values.
    const summary: Summary<'op'> = m.define.summary({ name: 'job_duration_seconds', help: 'Job durations.', labelNames: ['op'] });
    summary.observe({ op: 'import' }, 0.3);
    m.define.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['op'] }).inc({ op: 'import', bad: 'x' } as never);
    m.define.gauge({ name: 'broken_collector', help: 'Throws.', collect: () => Promise.reject(new Error('x')) });
    m.business.recordEvent('order_created', { payment_method: 'card' });
    m.business.recordCacheHit('products');
    m.business.recordCacheMiss('products');
    m.business.setActiveConnections(3);
    m.business.setDatabaseConnections(2, 'idle');
    m.business.observeDbQuery('select', 0.02);
    obs.reportError('logging', new Error('counted'));
    await m.render(undefined);
    return (await request(app).get('/metrics').expect(200)).text;
  }

  it.each([
    ['classic', { metrics: { preset: 'classic' } }],
    ['otel', { metrics: { preset: 'otel', maxSeriesPerMetric: 2 } }],
  ] as Array<[string, ObservabilityOptions]>)('reports nothing on the %s preset with every metric type in use', async (_p, options) => {
    const text = await scrapeOfBusyApp(options);
    for (const type of ['counter', 'gauge', 'histogram', 'summary']) expect(text).toContain(` ${type}\n`);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/express_observability_collector_errors_total\{[^}]*\} 2/);
    const { code, output } = await promtoolCheck(text);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('would report a problem: the check is real', async () => {
    const { code, output } = await promtoolCheck('# HELP bad_total a gauge named like a counter\n# TYPE bad_total gauge\nbad_total 1\n');
    expect(output).toContain('non-counter metrics should not have "_total" suffix');
    expect(code).not.toBe(0);
  });
});
