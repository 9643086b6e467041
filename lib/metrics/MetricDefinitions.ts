import { Counter, Gauge, Histogram, Summary, type Aggregator, type Registry } from 'prom-client';
import { ObservabilityConfigError } from '../configError';
import type { LabelGuard } from './LabelGuard';

/** What defines a metric: name, help and label names (buckets/percentiles where they apply). */
export interface MetricDefinition<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
  /**
   * Called at each scrape to bring the value up to date (`this` is the metric). One that
   * throws or runs past `metrics.collectorTimeoutMs` is skipped for that scrape and counted.
   */
  readonly collect?: (this: any) => void | Promise<void>;
  /** How cluster aggregation combines workers' values (`sum`, `first`, `min`, `max`, `average`, `omit`). Default: `sum`. */
  readonly aggregator?: Aggregator;
}

/** A histogram definition. */
export interface HistogramDefinition<L extends string = string> extends MetricDefinition<L> {
  readonly buckets?: readonly number[];
  /**
   * Keep trace exemplars (OpenMetrics registries only); `observe` then takes
   * `{ labels, value, exemplarLabels }` as in prom-client, and is not label-guarded. Default: false.
   */
  readonly enableExemplars?: boolean;
}

/** A summary definition. */
export interface SummaryDefinition<L extends string = string> extends MetricDefinition<L> {
  readonly percentiles?: readonly number[];
  readonly maxAgeSeconds?: number;
  readonly ageBuckets?: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Get-or-create metric definitions on one registry: defining the same metric twice
 * (hot reload, tests, two routers) returns the existing one; a different type or
 * label set under the same name throws a clear error at definition time. With a
 * guard, the metrics it creates never throw at run time on bad labels or values.
 */
export class MetricDefinitions {
  constructor(
    private readonly registry: Registry,
    private readonly prefix: string,
    private readonly guard?: LabelGuard,
  ) {}

  /** A counter (get-or-create). */
  counter<L extends string>(def: MetricDefinition<L>): Counter<L> {
    return this.define(def, Counter, () => new Counter<L>({ ...this.base(def), registers: [this.registry] }));
  }

  /** A gauge (get-or-create). */
  gauge<L extends string>(def: MetricDefinition<L>): Gauge<L> {
    return this.define(def, Gauge, () => new Gauge<L>({ ...this.base(def), registers: [this.registry] }));
  }

  /** A histogram (get-or-create). */
  histogram<L extends string>(def: HistogramDefinition<L>): Histogram<L> {
    return this.define(
      def,
      Histogram,
      () =>
        new Histogram<L>({
          ...this.base(def),
          ...(def.buckets ? { buckets: [...def.buckets] } : {}),
          ...(def.enableExemplars ? { enableExemplars: true } : {}),
          registers: [this.registry],
        }),
    );
  }

  /** A summary (get-or-create). */
  summary<L extends string>(def: SummaryDefinition<L>): Summary<L> {
    return this.define(
      def,
      Summary,
      () =>
        new Summary<L>({
          ...this.base(def),
          ...(def.percentiles ? { percentiles: [...def.percentiles] } : {}),
          ...(def.maxAgeSeconds ? { maxAgeSeconds: def.maxAgeSeconds, ageBuckets: def.ageBuckets ?? 5 } : {}),
          registers: [this.registry],
        }),
    );
  }

  private base<L extends string>(def: MetricDefinition<L>): { name: string; help: string; labelNames: L[] } {
    return {
      name: this.prefix + def.name,
      help: def.help,
      labelNames: [...(def.labelNames ?? [])],
      ...(def.collect ? { collect: def.collect } : {}),
      ...(def.aggregator ? { aggregator: def.aggregator } : {}),
    };
  }

  private define<T>(def: MetricDefinition, type: abstract new (...a: any[]) => T, create: () => T): T {
    validate(def);
    const name = this.prefix + def.name;
    const existing = this.registry.getSingleMetric(name) as unknown;
    if (existing) {
      if (!(existing instanceof type)) {
        throw new ObservabilityConfigError(`metric "${name}"`, (existing as object).constructor.name, `a ${type.name}, or another name`);
      }
      const labels = ((existing as { labelNames?: string[] }).labelNames ?? []).slice().sort().join(',');
      const wanted = [...(def.labelNames ?? [])].sort().join(',');
      if (labels !== wanted) {
        throw new ObservabilityConfigError(`metric "${name}" labelNames`, def.labelNames ?? [], `the labels it was first defined with: [${labels}]`);
      }
      return existing as T;
    }
    const metric = create();
    return this.guard ? this.guard.protect(metric as object) as T : metric;
  }
}

function validate(def: MetricDefinition): void {
  if (!def || typeof def.name !== 'string' || !NAME.test(def.name)) {
    throw new ObservabilityConfigError('metric name', def?.name, 'a Prometheus metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*');
  }
  if (def.collect !== undefined && typeof def.collect !== 'function') {
    throw new ObservabilityConfigError(`metric "${def.name}" collect`, def.collect, 'a function');
  }
  if (typeof def.help !== 'string' || def.help === '') {
    throw new ObservabilityConfigError(`metric "${def.name}" help`, def.help, 'a non-empty description');
  }
  for (const l of def.labelNames ?? []) {
    if (typeof l !== 'string' || !LABEL.test(l) || l.startsWith('__')) {
      throw new ObservabilityConfigError(`metric "${def.name}" label name`, l, 'a label name matching [a-zA-Z_][a-zA-Z0-9_]* not starting with "__"');
    }
  }
}
