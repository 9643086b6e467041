import { closeAll, testObservability } from '../../helpers/testObservability';
import { samples, value } from '../../fixtures/metricsScrape';

afterEach(closeAll);

function business() {
  const { obs } = testObservability({ metrics: { defaultMetrics: false, maxSeriesPerMetric: 5 } });
  return { b: obs.metrics!.business, scrape: async () => (await obs.metrics!.render(undefined)).body };
}

describe('business helpers', () => {
  it('records business events as business_<event>_total with their labels', async () => {
    const { b, scrape } = business();
    b.recordEvent('order_created', { payment_method: 'card' });
    b.recordEvent('order_created', { payment_method: 'card' });
    b.recordEvent('order_created', { payment_method: 'invoice' }, 3);
    b.recordEvent('signup');
    const text = await scrape();
    expect(value(text, 'business_order_created_total', { payment_method: 'card' })).toBe(2);
    expect(value(text, 'business_order_created_total', { payment_method: 'invoice' })).toBe(3);
    expect(value(text, 'business_signup_total')).toBe(1);
  });

  it('never throws on a bad event name or labels, and counts them', async () => {
    const { b, scrape } = business();
    expect(() => {
      b.recordEvent('Bad Name!');
      b.recordEvent('refund', { 'not-a-label': 'x' });
      b.recordEvent('order_created', { payment_method: 'card' });
      b.recordEvent('order_created', { payment: 'card' });
    }).not.toThrow();
    const text = await scrape();
    expect(value(text, 'express_observability_label_errors_total', { metric: 'business_events', reason: 'invalid_value' })).toBe(2);
    expect(value(text, 'express_observability_label_errors_total', { metric: 'business_order_created_total', reason: 'unknown_label' })).toBe(1);
    expect(text).not.toContain('Bad Name');
  });

  it('counts cache hits and misses and exports a hit ratio per cache', async () => {
    const { b, scrape } = business();
    for (let i = 0; i < 3; i++) b.recordCacheHit('products');
    b.recordCacheMiss('products');
    b.recordCacheMiss('sessions');
    const text = await scrape();
    expect(value(text, 'cache_hits_total', { cache: 'products' })).toBe(3);
    expect(value(text, 'cache_misses_total', { cache: 'products' })).toBe(1);
    expect(value(text, 'cache_hit_ratio', { cache: 'products' })).toBe(0.75);
    expect(value(text, 'cache_hit_ratio', { cache: 'sessions' })).toBe(0);
  });

  it('keeps the number of caches bounded', async () => {
    const { b, scrape } = business();
    for (let i = 0; i < 20; i++) b.recordCacheHit(`cache-${i}`);
    const text = await scrape();
    expect(samples(text, 'cache_hit_ratio').length).toBeLessThanOrEqual(6);
    expect(samples(text, 'cache_hits_total').length).toBeLessThanOrEqual(6);
    expect(value(text, 'cache_hit_ratio', { cache: 'OVERFLOW' })).toBe(1);
  });

  it('sets connection gauges and observes database queries', async () => {
    const { b, scrape } = business();
    b.setActiveConnections(12);
    b.setDatabaseConnections(4, 'active');
    b.setDatabaseConnections(6, 'idle');
    b.setDatabaseConnections(1);
    b.observeDbQuery('select', 0.004);
    b.observeDbQuery('select', 0.2);
    b.observeDbQuery('insert', 0.01);
    const text = await scrape();
    expect(value(text, 'active_connections')).toBe(12);
    expect(value(text, 'database_connections', { state: 'active' })).toBe(1);
    expect(value(text, 'database_connections', { state: 'idle' })).toBe(6);
    expect(value(text, 'database_query_duration_seconds_count', { operation: 'select' })).toBe(2);
    expect(value(text, 'database_query_duration_seconds_bucket', { operation: 'select', le: '0.005' })).toBe(1);
    expect(value(text, 'database_query_duration_seconds_sum', { operation: 'insert' })).toBe(0.01);
  });
});
