import { Registry } from 'prom-client';
import { ObservabilityConfigError } from '../../../lib/configError';
import { resolveMetricsOptions } from '../../../lib/metrics/metricsOptions';

describe('metrics options', () => {
  const resolve = (o: Parameters<typeof resolveMetricsOptions>[0], env: NodeJS.ProcessEnv = {}) => resolveMetricsOptions(o, env, 'svc', 800);

  it('has documented defaults', () => {
    const r = resolve(undefined);
    expect(r).toMatchObject({
      enabled: true,
      prefix: '',
      path: '/metrics',
      defaultLabels: { service: 'svc' },
      preset: 'classic',
      bodySizes: true,
      maxSeriesPerMetric: 1000,
      defaultMetrics: true,
      cluster: false,
      collectorTimeoutMs: 1000,
      exemplars: false,
      auth: undefined,
      managementPort: undefined,
    });
    expect(r.durationBuckets[0]).toBe(0.005);
    expect(r.durationBuckets[r.durationBuckets.length - 1]).toBe(10);
    expect(resolve({ preset: 'otel' }).durationBuckets).toContain(0.075);
    expect(resolve(false).enabled).toBe(false);
    expect(resolve({}, { METRICS_TOKEN: 't0k' }).auth).toBe('t0k');
  });

  it('turns exemplars on for an OpenMetrics registry', () => {
    const om = new Registry<any>();
    om.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    expect(resolve({ registry: om }).exemplars).toBe(true);
  });

  it.each([
    [{ prefix: '1bad' }, 'metrics.prefix'],
    [{ preset: 'new' as never }, 'metrics.preset'],
    [{ path: 'metrics' }, 'metrics.path'],
    [{ maxSeriesPerMetric: 0 }, 'metrics.maxSeriesPerMetric'],
    [{ durationBuckets: [1, 0.5] }, 'metrics.durationBuckets'],
    [{ excludePaths: ['health'] }, 'metrics.excludePaths'],
    [{ managementPort: 70000 }, 'metrics.managementPort'],
    [{ auth: '' }, 'metrics.auth'],
    [{ defaultLabels: { 'bad-label': 'x' } }, 'metrics.defaultLabels.bad-label'],
    [{ registry: {} as never }, 'metrics.registry'],
    [{ registry: new Registry(), exemplars: true }, 'metrics.exemplars'],
    [{ collectorTimeoutMs: -1 }, 'metrics.collectorTimeoutMs'],
  ])('rejects %p naming %s', (options, option) => {
    let error: unknown;
    try {
      resolve(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ObservabilityConfigError);
    expect((error as ObservabilityConfigError).option).toBe(option);
    expect((error as Error).message).toContain(`"${option}"`);
  });
});
