import { Registry } from 'prom-client';
import { ObservabilityConfigError } from '../../../lib/configError';
import { UNMATCHED_ROUTE, type FinishedRequest } from '../../../lib/requestLifecycle';
import { closeAll, testObservability } from '../../helpers/testObservability';
import { samples, value } from '../../fixtures/metricsScrape';

afterEach(closeAll);

const finished = (route: string, statusCode = 200, durationSeconds = 0.02): FinishedRequest => ({
  method: 'GET',
  route,
  path: '/x',
  statusCode,
  aborted: false,
  durationSeconds,
  requestBytes: 10,
  responseBytes: 2000,
  error: undefined,
  requestId: 'r',
  traceId: undefined,
  spanId: undefined,
  serverSpan: undefined,
  req: {} as never,
});

describe('HTTP metric families', () => {
  it('expose cumulative buckets, sum and count through prom-client', async () => {
    const { obs } = testObservability({ metrics: { defaultMetrics: false } });
    const m = obs.metrics!;
    m.requestFinished(finished('/a', 200, 0.003));
    m.requestFinished(finished('/a', 200, 0.2));
    m.requestFinished(finished('/a', 200, 30));
    const { body } = await m.render(undefined);
    const bucket = (le: string) => value(body, 'http_request_duration_seconds_bucket', { route: '/a', le });
    expect([bucket('0.005'), bucket('0.1'), bucket('0.25'), bucket('10'), bucket('+Inf')]).toEqual([1, 1, 2, 2, 3]);
    expect(value(body, 'http_request_duration_seconds_sum', { route: '/a' })).toBeCloseTo(30.203);
    expect(value(body, 'http_request_duration_seconds_count', { route: '/a' })).toBe(3);
    expect(value(body, 'http_requests_total', { route: '/a' })).toBe(3);
    expect(value(body, 'http_response_size_bytes_bucket', { route: '/a', le: '10000' })).toBe(3);
  });

  it('are cleared by registry.resetMetrics()', async () => {
    const { obs } = testObservability({ metrics: { defaultMetrics: false } });
    obs.metrics!.requestFinished(finished(UNMATCHED_ROUTE, 404));
    obs.metrics!.registry.resetMetrics();
    expect(samples((await obs.metrics!.render(undefined)).body, 'http_requests_total')).toHaveLength(0);
  });

  it('are shared by two instances on one registry, one series per label set', async () => {
    const registry = new Registry();
    const a = testObservability({ metrics: { registry, defaultMetrics: false } }).obs;
    const b = testObservability({ metrics: { registry, defaultMetrics: false } }).obs;
    a.metrics!.requestFinished(finished('/a'));
    b.metrics!.requestFinished(finished('/a'));
    const { body } = await b.metrics!.render(undefined);
    expect(samples(body, 'http_requests_total')).toEqual([expect.objectContaining({ value: 2 })]);
  });

  it('refuse a registry where the name is taken by another metric', () => {
    const registry = new Registry();
    testObservability({ metrics: { registry, defaultMetrics: false, preset: 'otel' } }).obs.metrics!.define.counter({
      name: 'http_requests_total',
      help: 'mine',
    });
    expect(() => testObservability({ metrics: { registry, defaultMetrics: false } })).toThrow(ObservabilityConfigError);
  });
});
