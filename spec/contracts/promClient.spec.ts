import express from 'express';
import {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type RegistryContentType,
} from 'prom-client';
import request from 'supertest';
import { Metered } from '../../decorators/Metered';
import { HttpFamily } from '../../lib/metrics/HttpFamily';
import { MethodFamily } from '../../lib/metrics/MethodFamily';
import { parseScrape } from '../fixtures/metricsScrape';
import { closeAll, testObservability } from '../helpers/testObservability';
import { contract, installed } from './contract';

/*
 * prom-client is a peer dependency (the app's copy): its range stays wide, so these tests are
 * what tells a maintainer that a new prom-client changed something the metrics pillar reads.
 */
const PROM = installed('prom-client');

afterEach(closeAll);

type Json = Awaited<ReturnType<Registry['getMetricsAsJSON']>>[number];
/** prom-client's per-metric formatter, public in its JavaScript but missing from its types. */
type Formatter = Registry<RegistryContentType> & { getMetricsAsString(metric: object): Promise<string> };

const defaultLabelsOf = (r: Registry) =>
  (r as unknown as { _defaultLabels?: Record<string, string> })._defaultLabels;

describe(`prom-client ${PROM.version} internals read by the metrics pillar`, () => {
  it('Registry#_defaultLabels holds what setDefaultLabels set, and is what the registry renders', () =>
    contract(
      PROM,
      'Registry#_defaultLabels',
      'lib/metrics/createMetrics.ts and lib/metrics/ScrapeRenderer.ts',
      async () => {
        const registry = new Registry();
        expect(defaultLabelsOf(registry)).toEqual({});
        registry.setDefaultLabels({ service: 'orders', region: 'eu' });
        expect(defaultLabelsOf(registry)).toEqual({ service: 'orders', region: 'eu' });
        new Counter({ name: 'c_total', help: 'h', registers: [registry] }).inc();
        expect(await registry.metrics()).toContain('c_total{service="orders",region="eu"} 1');

        // What the internal is read for: an application registry's own default labels survive.
        const { obs } = testObservability({
          metrics: { registry, defaultMetrics: false, defaultLabels: { team: 'checkout' } },
        });
        const body = (await obs.metrics!.render(undefined)).body;
        const line = parseScrape(body).find((s) => s.name === 'c_total');
        expect(line?.labels).toEqual({ service: 'orders', region: 'eu', team: 'checkout' });
      },
    ));

  it('Registry#getMetricsAsString renders one metric, preferring getForPromString, with the default labels', () =>
    contract(
      PROM,
      'Registry#getMetricsAsString(metric) and the sample shape it reads',
      'lib/metrics/ScrapeRenderer.ts',
      async () => {
        const f = new Registry<RegistryContentType>() as Formatter;
        f.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
        expect(typeof f.getMetricsAsString).toBe('function');
        f.setDefaultLabels({ service: 's' });
        const exemplar = { labelSet: { trace_id: 't1', span_id: 's1' }, value: 0.5, timestamp: 1700000000 };
        const duck = {
          name: 'd',
          get: async () => ({ name: 'd', help: 'h', type: 'histogram', values: [] }),
          getForPromString: async () => ({
            name: 'd',
            help: 'h',
            type: 'histogram',
            values: [
              { labels: { le: 1 }, sharedLabels: { a: '1' }, value: 2, metricName: 'd_bucket', exemplar },
            ],
          }),
        };
        expect(await f.getMetricsAsString(duck)).toBe(
          '# HELP d h\n# TYPE d histogram\nd_bucket{le="1",service="s",a="1"} 2 # {trace_id="t1",span_id="s1"} 0.5 1700000000',
        );
      },
    ));

  it("a histogram exemplar has the shape HttpSeriesStore's exemplar slots copy", () =>
    contract(
      PROM,
      'the Exemplar of Histogram#get() (labelSet, value, timestamp)',
      'lib/metrics/HttpSeriesStore.ts',
      async () => {
        const registry = new Registry<RegistryContentType>();
        registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
        const h = new Histogram({
          name: 'h',
          help: 'h',
          buckets: [1],
          enableExemplars: true,
          registers: [registry as Registry],
        });
        h.observe({ labels: {}, value: 0.5, exemplarLabels: { trace_id: 't1' } });
        const values = (await h.get()).values as Array<{ exemplar?: object | null }>;
        const exemplar = values.find((v) => v.exemplar)?.exemplar;
        expect(Object.keys(exemplar ?? {}).sort()).toEqual(['labelSet', 'timestamp', 'value']);
      },
    ));

  it('the HTTP families (registered as never) are accepted, rendered, exported as JSON, aggregated and reset like native metrics', () =>
    contract(
      PROM,
      'Registry#registerMetric/metrics/getMetricsAsJSON/resetMetrics and AggregatorRegistry.aggregate with a duck-typed metric',
      'lib/metrics/HttpFamily.ts',
      async () => {
        const registry = new Registry();
        const { obs } = testObservability({ metrics: { registry, defaultMetrics: false } });
        const app = express();
        app.use(obs.middleware());
        app.get('/items/:id', (_req, res) => void res.send('x'.repeat(300)));
        app.post('/items', (_req, res) => void res.status(201).json({ ok: true }));
        await request(app).get('/items/1').expect(200);
        await request(app).post('/items').send({ a: 1 }).expect(201);
        await behavesAsNative(registry, (m) => m instanceof HttpFamily, 4);
      },
    ));

  it('the @Metered families (registered as never) are accepted, rendered, exported as JSON, aggregated and reset like native metrics', () =>
    contract(
      PROM,
      'Registry#registerMetric/metrics/getMetricsAsJSON/resetMetrics and AggregatorRegistry.aggregate with a duck-typed metric (getForPromString, sharedLabels)',
      'lib/metrics/MethodFamily.ts',
      async () => {
        const registry = new Registry();
        const { obs } = testObservability({ metrics: { registry, defaultMetrics: false } });
        class Orders {
          @Metered({ instance: obs, inFlight: true })
          place(): number {
            return 1;
          }

          @Metered({ instance: obs, inFlight: true })
          cancel(): never {
            throw new RangeError('no');
          }
        }
        const orders = new Orders();
        orders.place();
        expect(() => orders.cancel()).toThrow(RangeError);
        await behavesAsNative(registry, (m) => m instanceof MethodFamily, 3);
      },
    ));
});

/**
 * Our families on `registry` against prom-client's own Counter/Gauge/Histogram fed the same
 * series (each histogram series holds one observation, so one `observe(sum)` rebuilds it).
 */
async function behavesAsNative(
  registry: Registry,
  ours: (m: unknown) => boolean,
  expected: number,
): Promise<void> {
  const families = (registry.getMetricsAsArray() as unknown[]).filter(ours) as Array<{
    name: string;
    get(): Promise<Json>;
  }>;
  expect(families).toHaveLength(expected);
  // getSingleMetric hands back the very object, which is how a second instance finds the store.
  for (const f of families) expect(registry.getSingleMetric(f.name)).toBe(f);
  const view = new Registry<RegistryContentType>();
  const native = new Registry<RegistryContentType>();
  for (const r of [view, native]) r.setDefaultLabels({ service: 'orders' });
  for (const f of families) view.registerMetric(f as never);
  for (const f of families) mirror(await f.get(), native as Registry);

  for (const type of [
    Registry.PROMETHEUS_CONTENT_TYPE,
    Registry.OPENMETRICS_CONTENT_TYPE,
  ] as RegistryContentType[]) {
    view.setContentType(type);
    native.setContentType(type);
    expect(normalized(await view.metrics())).toEqual(normalized(await native.metrics()));
  }
  view.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
  native.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
  const [viewJson, nativeJson] = [await view.getMetricsAsJSON(), await native.getMetricsAsJSON()];
  expect(normalizedJson(viewJson)).toEqual(normalizedJson(nativeJson));
  // A cluster primary sums the workers' JSON by each family's `aggregator`.
  const summed = async (json: Json[]) =>
    normalized(await AggregatorRegistry.aggregate([json, json]).metrics());
  expect(await summed(viewJson)).toEqual(await summed(nativeJson));
  expect(normalized(await view.metrics()).samples.length).toBeGreaterThan(0);

  registry.resetMetrics();
  expect(normalized(await view.metrics()).samples).toEqual([]);
}

function mirror(json: Json, into: Registry): void {
  const registers = [into];
  const type = json.type as unknown as string;
  const values = json.values as Array<{
    labels: Record<string, string | number>;
    value: number;
    metricName?: string;
  }>;
  const labelNames = [...new Set(values.flatMap((v) => Object.keys(v.labels)).filter((k) => k !== 'le'))];
  if (type === 'counter') {
    const c = new Counter({ name: json.name, help: json.help, labelNames, registers });
    for (const v of values) c.inc(v.labels, v.value);
  } else if (type === 'gauge') {
    const g = new Gauge({ name: json.name, help: json.help, labelNames, registers });
    for (const v of values) g.set(v.labels, v.value);
  } else {
    const bucketLines = values.filter((v) => v.metricName === `${json.name}_bucket`);
    const buckets = [...new Set(bucketLines.map((v) => v.labels.le).filter((le) => le !== '+Inf'))].map(
      Number,
    );
    const h = new Histogram({ name: json.name, help: json.help, labelNames, buckets, registers });
    for (const v of values) {
      if (v.metricName !== `${json.name}_sum`) continue;
      const count = values.find(
        (c) => c.metricName === `${json.name}_count` && sameLabels(c.labels, v.labels),
      )!.value;
      expect(count).toBe(1);
      h.observe(v.labels, v.value);
    }
  }
}

const sameLabels = (a: object, b: object) => key(a) === key(b);
const key = (labels: object) =>
  JSON.stringify(
    Object.entries(labels)
      .map(([k, v]) => [k, String(v)])
      .sort(),
  );

/** Exposition text as sorted comment lines and samples with sorted labels (label order is free). */
function normalized(text: string): { comments: string[]; samples: string[] } {
  const comments = text
    .split('\n')
    .filter((l) => l.startsWith('#') && l !== '# EOF')
    .sort();
  const samples = parseScrape(text)
    .map((s) => `${s.name}${key(s.labels)} ${s.value}`)
    .sort();
  return { comments, samples };
}

function normalizedJson(json: Json[]): string[] {
  return json
    .flatMap((m) =>
      (m.values as Array<{ labels: object; value: number; metricName?: string }>).map(
        (v) => `${m.name} ${m.type} ${m.help} ${v.metricName ?? m.name}${key(v.labels)} ${v.value}`,
      ),
    )
    .sort();
}
