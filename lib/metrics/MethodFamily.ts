import type { Registry } from 'prom-client';
import type { ErrorReporter } from '../errorReporter';
import { MetricDefinitions } from './MetricDefinitions';
import { MethodSeriesStore, type MethodSeries } from './MethodSeriesStore';
import { SelfMetrics } from './SelfMetrics';

interface Sample {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName?: string;
  exemplar?: null | undefined;
}

type FamilyType = 'histogram' | 'counter' | 'gauge';

/**
 * One `@Metered` metric family (duration histogram, calls counter or in-flight gauge) as a
 * prom-client registry entry, read from a {@link MethodSeriesStore} at scrape time. Its samples
 * have the shapes prom-client's own Histogram, Counter and Gauge give (`getForPromString` with
 * `le` first, `get` with the labels merged), so the exposition is the one those metrics wrote.
 */
export class MethodFamily {
  readonly aggregator = 'sum';
  readonly labelNames: string[];

  constructor(
    public name: string,
    readonly help: string,
    readonly type: FamilyType,
    readonly store: MethodSeriesStore,
  ) {
    this.labelNames = [...store.shape.labelNames];
  }

  /** Called by prom-client's registry (JSON, cluster aggregation): every sample with its full labels. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const data = await this.getForPromString();
    for (const v of data.values) {
      if (v.sharedLabels !== undefined) v.labels = { ...v.labels, ...v.sharedLabels };
      delete v.sharedLabels;
    }
    return data;
  }

  /** Called by prom-client's text formatting. */
  async getForPromString(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: Sample[];
  }> {
    const values: Sample[] = [];
    for (const s of this.store.all()) {
      if (this.type === 'counter') values.push({ labels: s.labels, value: s.count });
      else if (this.type === 'gauge') values.push({ labels: s.labels, value: s.value });
      else this.histogramSamples(s, values);
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** prom-client's `registry.resetMetrics()`. */
  reset(): void {
    this.store.reset();
  }

  private histogramSamples(s: MethodSeries, out: Sample[]): void {
    const bounds = this.store.shape.bounds;
    const bucket = `${this.name}_bucket`;
    let acc = 0;
    for (let i = 0; i <= bounds.length; i++) {
      acc += s.counts[i]!;
      out.push({
        labels: { le: i < bounds.length ? bounds[i]! : '+Inf' },
        sharedLabels: s.labels,
        value: acc,
        metricName: bucket,
        exemplar: null,
      });
    }
    out.push({
      labels: {},
      sharedLabels: s.labels,
      value: s.sum,
      metricName: `${this.name}_sum`,
      exemplar: undefined,
    });
    out.push({
      labels: {},
      sharedLabels: s.labels,
      value: acc,
      metricName: `${this.name}_count`,
      exemplar: undefined,
    });
  }
}

/** The definition of one `@Metered` metric set. */
export interface MethodMetricsDefinition {
  /** Full names (prefix included). */
  readonly durationName: string;
  readonly callsName: string;
  readonly inFlightName: string | undefined;
  readonly buckets: readonly number[];
  readonly maxSeries: number;
}

/** The stores of one `@Metered` metric set. */
export interface MethodStores {
  readonly calls: MethodSeriesStore;
  readonly inFlight: MethodSeriesStore | undefined;
}

const CALL_LABELS = ['class', 'method', 'outcome', 'error_type'] as const;
const FLIGHT_LABELS = ['class', 'method'] as const;

/**
 * Get-or-create the families of one `@Metered` metric set on `registry`: call sites naming the
 * same metrics (and instances sharing a registry) share the stores, as they shared prom-client
 * metrics. Returns undefined when a name is taken by another kind of metric (one the application
 * defined itself): the caller then records into that metric through prom-client, as before.
 */
export function defineMethodMetrics(
  registry: Registry,
  prefix: string,
  errors: ErrorReporter,
  warn: (m: string, meta: Record<string, unknown>) => void,
  def: MethodMetricsDefinition,
): MethodStores | undefined {
  const duration = registry.getSingleMetric(def.durationName) as unknown;
  const calls = registry.getSingleMetric(def.callsName) as unknown;
  const flight =
    def.inFlightName === undefined ? undefined : (registry.getSingleMetric(def.inFlightName) as unknown);
  const ours = (m: unknown): m is MethodFamily => m instanceof MethodFamily;
  if (
    (duration !== undefined && !ours(duration)) ||
    (calls !== undefined && !ours(calls)) ||
    (flight !== undefined && !ours(flight))
  )
    return undefined;
  // The self-metrics are get-or-create too: these are the instance's own counters.
  let self: SelfMetrics | undefined;
  const selfMetrics = (): SelfMetrics =>
    (self ??= new SelfMetrics(new MetricDefinitions(registry, prefix), errors, warn));
  let callStore = ours(duration) ? duration.store : ours(calls) ? calls.store : undefined;
  if (callStore === undefined) {
    const shape = {
      labelNames: CALL_LABELS,
      bounds: [...def.buckets],
      maxSeries: def.maxSeries,
      metricNames: [def.durationName, def.callsName],
    };
    callStore = new MethodSeriesStore(shape, selfMetrics());
  }
  if (!ours(duration))
    registry.registerMetric(
      new MethodFamily(
        def.durationName,
        'Duration of instrumented method calls in seconds, by class, method and outcome.',
        'histogram',
        callStore,
      ) as never,
    );
  if (!ours(calls))
    registry.registerMetric(
      new MethodFamily(
        def.callsName,
        'Instrumented method calls, by class, method and outcome.',
        'counter',
        callStore,
      ) as never,
    );
  let flightStore: MethodSeriesStore | undefined;
  if (def.inFlightName !== undefined) {
    flightStore = ours(flight)
      ? flight.store
      : new MethodSeriesStore(
          {
            labelNames: FLIGHT_LABELS,
            bounds: [],
            maxSeries: def.maxSeries,
            metricNames: [def.inFlightName],
          },
          selfMetrics(),
        );
    if (!ours(flight))
      registry.registerMetric(
        new MethodFamily(
          def.inFlightName,
          'Instrumented method calls in progress.',
          'gauge',
          flightStore,
        ) as never,
      );
  }
  return { calls: callStore, inFlight: flightStore };
}
