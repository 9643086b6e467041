import type { Gauge } from 'prom-client';
import { closeAll, testObservability } from '../../helpers/testObservability';
import { value } from '../../fixtures/metricsScrape';

afterEach(closeAll);

describe('scrape', () => {
  it('leaves out a collector that throws, for that scrape only, and counts it', async () => {
    const errors: unknown[] = [];
    const { obs } = testObservability({ metrics: { defaultMetrics: false }, onError: (e) => errors.push(e) });
    let fail = true;
    obs.metrics!.define.gauge({
      name: 'queue_depth',
      help: 'Queue depth.',
      collect(this: Gauge) {
        if (fail) throw new Error('queue unreachable');
        this.set(7);
      },
    });
    obs.metrics!.define.counter({ name: 'healthy_total', help: 'h' }).inc();
    const first = (await obs.metrics!.render(undefined)).body;
    expect(first).not.toContain('# TYPE queue_depth');
    expect(value(first, 'queue_depth')).toBeUndefined();
    expect(value(first, 'healthy_total')).toBe(1);
    expect(value(first, 'express_observability_collector_errors_total', { metric: 'queue_depth', reason: 'error' })).toBe(1);
    expect(errors).toHaveLength(1);
    fail = false;
    const second = (await obs.metrics!.render(undefined)).body;
    expect(value(second, 'queue_depth')).toBe(7);
    expect(value(second, 'express_observability_telemetry_errors_total', { source: 'metrics' })).toBe(1);
  });

  it('leaves out a collector that hangs once its timeout passes', async () => {
    const { obs } = testObservability({ metrics: { defaultMetrics: false, collectorTimeoutMs: 100 } });
    obs.metrics!.define.gauge({ name: 'stuck', help: 'Never answers.', collect: () => new Promise<void>(() => undefined) });
    obs.metrics!.define.gauge({ name: 'fine', help: 'f' }).set(1);
    const started = Date.now();
    const { body } = await obs.metrics!.render(undefined);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(body).not.toContain('# TYPE stuck');
    expect(value(body, 'fine')).toBe(1);
    expect(value(body, 'express_observability_collector_errors_total', { metric: 'stuck', reason: 'timeout' })).toBe(1);
  });

  it('does the same in OpenMetrics format', async () => {
    const { obs } = testObservability({ metrics: { defaultMetrics: false } });
    obs.metrics!.define.gauge({ name: 'broken', help: 'b', collect: () => Promise.reject(new Error('x')) });
    const { body, contentType } = await obs.metrics!.render('application/openmetrics-text; version=1.0.0');
    expect(contentType).toContain('application/openmetrics-text');
    expect(body).not.toContain('# TYPE broken');
    expect(body).toContain('# TYPE express_observability_collector_errors counter');
    expect(value(body, 'express_observability_collector_errors_total', { metric: 'broken' })).toBe(1);
    expect(body.endsWith('# EOF\n')).toBe(true);
  });

  it('exports the telemetry failure counts of every source', async () => {
    const { obs } = testObservability({ metrics: { defaultMetrics: false }, onError: () => undefined });
    obs.reportError('logging', new Error('disk full'));
    obs.reportError('logging', new Error('disk full'));
    obs.reportError('exporter', new Error('collector down'));
    const { body } = await obs.metrics!.render(undefined);
    expect(value(body, 'express_observability_telemetry_errors_total', { source: 'logging' })).toBe(2);
    expect(value(body, 'express_observability_telemetry_errors_total', { source: 'exporter' })).toBe(1);
  });
});
