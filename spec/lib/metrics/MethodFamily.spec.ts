import { Counter, Gauge, Histogram, Registry, type RegistryContentType } from 'prom-client';
import type { ObservabilityCore } from '../../../lib/createObservabilityCore';
import { createErrorReporter } from '../../../lib/errorReporter';
import { defineMethodMetrics } from '../../../lib/metrics/MethodFamily';
import { Metered } from '../../../decorators/Metered';
import { closeAll, testObservability } from '../../helpers/testObservability';
import { value } from '../../fixtures/metricsScrape';

afterEach(closeAll);

const LABELS = ['class', 'method', 'outcome', 'error_type'] as const;
const BUCKETS = [0.01, 0.1, 1];
const LONG = 'x'.repeat(200);
const HELP = {
  duration: 'Duration of instrumented method calls in seconds, by class, method and outcome.',
  calls: 'Instrumented method calls, by class, method and outcome.',
  inFlight: 'Instrumented method calls in progress.',
};

/** The same observations into the store's families and into prom-client's own metrics, on two registries alike. */
function pair(contentType: RegistryContentType) {
  const ours = new Registry<RegistryContentType>();
  const theirs = new Registry<RegistryContentType>();
  for (const r of [ours, theirs]) {
    r.setContentType(contentType);
    r.setDefaultLabels({ service: 'orders' });
  }
  const errors = createErrorReporter({ warn: () => undefined });
  const stores = defineMethodMetrics(ours as Registry, '', errors, () => undefined, {
    durationName: 'm_duration_seconds',
    callsName: 'm_calls_total',
    inFlightName: 'm_in_flight',
    buckets: BUCKETS,
    maxSeries: 1000,
  })!;
  // The self-metrics the store reports into are not part of the comparison.
  for (const m of ours.getMetricsAsArray())
    if (m.name.startsWith('express_observability_')) ours.removeSingleMetric(m.name);
  const registers = [theirs as Registry];
  const histogram = new Histogram({
    name: 'm_duration_seconds',
    help: HELP.duration,
    labelNames: LABELS,
    buckets: BUCKETS,
    registers,
  });
  const counter = new Counter({ name: 'm_calls_total', help: HELP.calls, labelNames: LABELS, registers });
  const gauge = new Gauge({
    name: 'm_in_flight',
    help: HELP.inFlight,
    labelNames: ['class', 'method'],
    registers,
  });
  const record = (values: [string, string, string, string], seconds: number) => {
    stores.calls.handle(values).observe(seconds);
    const labels = { class: values[0], method: values[1], outcome: values[2], error_type: values[3] };
    histogram.observe(labels, seconds);
    counter.inc(labels);
  };
  record(['Calc', 'add', 'success', ''], 0.005);
  record(['Calc', 'add', 'success', ''], 0.5);
  record(['Calc', 'add', 'error', 'Range"Error\\'], 3);
  record(['Orders', 'place', 'success', ''], 0.05);
  stores.inFlight!.handle(['Calc', 'add']).add(1);
  stores.inFlight!.handle(['Orders', 'place']).add(1);
  stores.inFlight!.handle(['Orders', 'place']).add(-1);
  gauge.inc({ class: 'Calc', method: 'add' });
  gauge.inc({ class: 'Orders', method: 'place' });
  gauge.dec({ class: 'Orders', method: 'place' });
  return { ours, theirs };
}

describe('method metric families', () => {
  it.each([Registry.PROMETHEUS_CONTENT_TYPE, Registry.OPENMETRICS_CONTENT_TYPE])(
    'expose what prom-client metrics would (%s)',
    async (contentType) => {
      const { ours, theirs } = pair(contentType as RegistryContentType);
      expect(await ours.metrics()).toBe(await theirs.metrics());
      expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
    },
  );

  it('are cleared by registry.resetMetrics(), and call sites record again afterwards', async () => {
    const { obs } = testObservability({ metrics: { defaultMetrics: false } });
    const calc = instrumented(obs);
    calc.add();
    obs.metrics!.registry.resetMetrics();
    expect(value(await scrape(obs), 'method_calls_total', { method: 'add' })).toBeUndefined();
    calc.add();
    expect(value(await scrape(obs), 'method_calls_total', { method: 'add' })).toBe(1);
  });

  it('cap label sets per metric and count overflowed observations and cut labels', async () => {
    const { obs } = testObservability({ metrics: { defaultMetrics: false, maxSeriesPerMetric: 2 } });
    const calc = instrumented(obs);
    calc.add();
    expect(() => calc.fail()).toThrow(RangeError);
    calc.long();
    calc.long();
    const body = await scrape(obs);
    expect(value(body, 'method_calls_total', { class: 'OVERFLOW' })).toBe(2);
    expect(value(body, 'express_observability_series_overflow_total', { metric: 'method_calls_total' })).toBe(
      2,
    );
    expect(
      value(body, 'express_observability_series_overflow_total', { metric: 'method_duration_seconds' }),
    ).toBe(2);
    expect(
      value(body, 'express_observability_label_errors_total', {
        metric: 'method_calls_total',
        reason: 'too_long',
      }),
    ).toBe(2);
  });

  it('are shared by instances on one registry and leave metrics the application defined to prom-client', async () => {
    const registry = new Registry();
    const a = testObservability({ metrics: { registry, defaultMetrics: false } }).obs;
    const b = testObservability({ metrics: { registry, defaultMetrics: false } }).obs;
    instrumented(a).add();
    instrumented(b).add();
    expect(value(await scrape(a), 'method_calls_total', { method: 'add' })).toBe(2);

    const own = testObservability({ metrics: { defaultMetrics: false } }).obs;
    const calls = own.metrics!.define.counter({
      name: 'method_calls_total',
      help: 'Mine.',
      labelNames: [...LABELS],
    });
    own.metrics!.define.histogram({
      name: 'method_duration_seconds',
      help: 'Mine.',
      labelNames: [...LABELS],
    });
    instrumented(own).add();
    expect(calls).toBeInstanceOf(Counter);
    expect(
      value(await scrape(own), 'method_calls_total', { class: 'Calc', method: 'add', outcome: 'success' }),
    ).toBe(1);
  });
});

function instrumented(obs: ObservabilityCore) {
  class Calc {
    @Metered({ instance: obs })
    add(): number {
      return 1;
    }

    @Metered({ instance: obs })
    fail(): never {
      throw new RangeError('no');
    }

    // A method name past the label value limit (128).
    @Metered({ instance: obs })
    [LONG](): number {
      return 2;
    }
  }
  return Object.assign(new Calc(), { long: () => new Calc()[LONG]() });
}

async function scrape(obs: ObservabilityCore): Promise<string> {
  return (await obs.metrics!.render(undefined)).body;
}
