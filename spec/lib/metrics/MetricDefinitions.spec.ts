import { ObservabilityConfigError } from '../../../lib/configError';
import { closeAll, testObservability } from '../../helpers/testObservability';
import { samples, value } from '../../fixtures/metricsScrape';

afterEach(closeAll);

function metrics(options: { maxSeriesPerMetric?: number; prefix?: string } = {}) {
  const { obs } = testObservability({ metrics: { defaultMetrics: false, ...options } });
  const m = obs.metrics!;
  return { m, scrape: async () => (await m.render(undefined)).body };
}

describe('metric definitions', () => {
  it('get-or-create: the same definition twice returns the same metric', () => {
    const { m } = metrics();
    const a = m.define.counter({ name: 'orders_total', help: 'Orders.', labelNames: ['status'] });
    const b = m.define.counter({ name: 'orders_total', help: 'Orders.', labelNames: ['status'] });
    expect(b).toBe(a);
    expect(m.define.histogram({ name: 'h_seconds', help: 'h', buckets: [1, 2] })).toBe(m.define.histogram({ name: 'h_seconds', help: 'h' }));
    expect(m.define.summary({ name: 's_seconds', help: 's' })).toBe(m.define.summary({ name: 's_seconds', help: 's' }));
    expect(m.define.gauge({ name: 'g', help: 'g' })).toBe(m.define.gauge({ name: 'g', help: 'g' }));
  });

  it('throws a clear error at definition for a bad name, label name, type or label set', () => {
    const { m } = metrics();
    m.define.counter({ name: 'orders_total', help: 'Orders.', labelNames: ['status'] });
    expect(() => m.define.gauge({ name: 'orders_total', help: 'x' })).toThrow(ObservabilityConfigError);
    expect(() => m.define.gauge({ name: 'orders_total', help: 'x' })).toThrow(/metric "orders_total".*Counter.*expected a Gauge/);
    expect(() => m.define.counter({ name: 'orders_total', help: 'x', labelNames: ['other'] })).toThrow(/labels it was first defined with: \[status\]/);
    expect(() => m.define.counter({ name: 'bad-name', help: 'x' })).toThrow(/"bad-name".*Prometheus metric name/);
    expect(() => m.define.counter({ name: 'ok_total', help: 'x', labelNames: ['__reserved'] })).toThrow(/label name/);
    expect(() => m.define.counter({ name: 'ok_total', help: '' })).toThrow(/help/);
  });

  it('applies the prefix', async () => {
    const { m, scrape } = metrics({ prefix: 'shop_' });
    m.define.counter({ name: 'orders_total', help: 'Orders.' }).inc();
    expect(value(await scrape(), 'shop_orders_total')).toBe(1);
  });
});

describe('run-time label safety', () => {
  it('drops unknown labels, fills missing ones, converts and cuts values, and counts each fix', async () => {
    const { m, scrape } = metrics();
    const c = m.define.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue', 'outcome'] });
    expect(() => c.inc({ queue: 'mail', outcome: 'ok', tenant: 'acme' } as never)).not.toThrow();
    c.inc({ queue: 'mail' } as never);
    c.inc({ queue: 42 as never, outcome: true as never });
    c.inc({ queue: { nested: 1 } as never, outcome: 'ok' });
    c.inc({ queue: 'q'.repeat(300), outcome: 'ok' });
    const text = await scrape();
    expect(value(text, 'jobs_total', { queue: 'mail', outcome: 'ok' })).toBe(1);
    expect(value(text, 'jobs_total', { queue: 'mail', outcome: '' })).toBe(1);
    expect(value(text, 'jobs_total', { queue: '42', outcome: 'true' })).toBe(1);
    expect(value(text, 'jobs_total', { queue: '', outcome: 'ok' })).toBe(1);
    expect(value(text, 'jobs_total', { queue: 'q'.repeat(128), outcome: 'ok' })).toBe(1);
    const errors = (reason: string) => value(text, 'express_observability_label_errors_total', { metric: 'jobs_total', reason });
    expect(errors('unknown_label')).toBe(1);
    expect(errors('missing_label')).toBe(1);
    expect(errors('invalid_value')).toBe(1);
    expect(errors('too_long')).toBe(1);
  });

  it('ignores invalid numbers instead of throwing or exposing NaN', async () => {
    const { m, scrape } = metrics();
    const c = m.define.counter({ name: 'c_total', help: 'c' });
    const g = m.define.gauge({ name: 'g', help: 'g', labelNames: ['k'] });
    const h = m.define.histogram({ name: 'h_seconds', help: 'h', buckets: [1] });
    const s = m.define.summary({ name: 's_seconds', help: 's' });
    expect(() => {
      c.inc(NaN);
      c.inc(-1);
      c.inc('3' as never);
      g.set({ k: 'a' }, NaN);
      g.set({ k: 'a' }, undefined as never);
      h.observe(Infinity);
      h.observe(NaN);
      s.observe(NaN);
    }).not.toThrow();
    c.inc(2);
    const text = await scrape();
    expect(value(text, 'c_total')).toBe(2);
    expect(text).not.toMatch(/\bNa[nN]\b/);
    expect(value(text, 'h_seconds_count')).toBe(0);
    expect(value(text, 'express_observability_label_errors_total', { metric: 'c_total', reason: 'invalid_number' })).toBe(3);
    expect(value(text, 'express_observability_label_errors_total', { metric: 'h_seconds', reason: 'invalid_number' })).toBe(2);
  });

  it('makes labels() children, positional labels and timers safe too', async () => {
    const { m, scrape } = metrics();
    const h = m.define.histogram({ name: 'task_seconds', help: 't', labelNames: ['task'], buckets: [0.1, 1] });
    const g = m.define.gauge({ name: 'pool_size', help: 'p', labelNames: ['pool'] });
    h.labels('import').observe(0.05);
    h.labels({ task: 'export', bogus: 'x' } as never).observe(0.5);
    expect(() => h.labels('import').observe(NaN)).not.toThrow();
    g.labels({ pool: 'db' }).set(4);
    const end = h.startTimer({ task: 'timed' });
    end();
    const text = await scrape();
    expect(value(text, 'task_seconds_count', { task: 'import' })).toBe(1);
    expect(value(text, 'task_seconds_count', { task: 'export' })).toBe(1);
    expect(value(text, 'task_seconds_count', { task: 'timed' })).toBe(1);
    expect(value(text, 'pool_size', { pool: 'db' })).toBe(4);
    expect(value(text, 'express_observability_label_errors_total', { metric: 'task_seconds', reason: 'unknown_label' })).toBe(1);
  });

  it('caps label combinations of user metrics into one OVERFLOW series', async () => {
    const { m, scrape } = metrics({ maxSeriesPerMetric: 3 });
    const c = m.define.counter({ name: 'views_total', help: 'v', labelNames: ['page'] });
    for (let i = 0; i < 10; i++) c.inc({ page: `p${i}` });
    c.inc({ page: 'p0' });
    const text = await scrape();
    expect(samples(text, 'views_total')).toHaveLength(4);
    expect(value(text, 'views_total', { page: 'p0' })).toBe(2);
    expect(value(text, 'views_total', { page: 'OVERFLOW' })).toBe(7);
    expect(value(text, 'express_observability_series_overflow_total', { metric: 'views_total' })).toBe(7);
  });
});
