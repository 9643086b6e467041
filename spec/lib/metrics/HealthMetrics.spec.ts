import { closeAll, testObservability } from '../../helpers/testObservability';
import { value } from '../../fixtures/metricsScrape';

afterEach(closeAll);

describe('health gauges', () => {
  it('exports each check as 1/0 and the overall status as 1, 0.5 or 0', async () => {
    let dbUp = true;
    const { obs } = testObservability({
      metrics: { defaultMetrics: false },
      health: {
        cacheMs: 1,
        checks: {
          db: async () => {
            if (!dbUp) throw new Error('refused');
          },
          cache: { check: async () => Promise.reject(new Error('down')), critical: false },
        },
      },
    });
    const scrape = async () => (await obs.metrics!.render(undefined)).body;
    let text = await scrape();
    expect(value(text, 'health_check_status', { check: 'db' })).toBe(1);
    expect(value(text, 'health_check_status', { check: 'cache' })).toBe(0);
    expect(value(text, 'health_status')).toBe(0.5);
    expect(value(text, 'health_check_duration_seconds', { check: 'db' })).toBeGreaterThanOrEqual(0);

    dbUp = false;
    await new Promise((r) => setTimeout(r, 5));
    text = await scrape();
    expect(value(text, 'health_check_status', { check: 'db' })).toBe(0);
    expect(value(text, 'health_status')).toBe(0);
  });

  it('reports healthy with no checks', async () => {
    const { obs } = testObservability({ metrics: { defaultMetrics: false } });
    expect(value((await obs.metrics!.render(undefined)).body, 'health_status')).toBe(1);
  });
});
