import { Counter, Gauge, Histogram, Summary, type Registry } from 'prom-client';
import { ObservabilityConfigError } from '../configError';

/** What defines a metric: name, help and label names (buckets/percentiles where they apply). */
export interface MetricDefinition<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}

/** A histogram definition. */
export interface HistogramDefinition<L extends string = string> extends MetricDefinition<L> {
  readonly buckets?: readonly number[];
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
 * label set under the same name throws a clear error at definition time.
 */
export class MetricDefinitions {
  constructor(
    private readonly registry: Registry,
    private readonly prefix: string,
  ) {}

  counter<L extends string>(def: MetricDefinition<L>): Counter<L> {
    return this.define(def, Counter, () => new Counter<L>({ ...this.base(def), registers: [this.registry] }));
  }

  gauge<L extends string>(def: MetricDefinition<L>): Gauge<L> {
    return this.define(def, Gauge, () => new Gauge<L>({ ...this.base(def), registers: [this.registry] }));
  }

  histogram<L extends string>(def: HistogramDefinition<L>): Histogram<L> {
    return this.define(
      def,
      Histogram,
      () =>
        new Histogram<L>({
          ...this.base(def),
          ...(def.buckets ? { buckets: [...def.buckets] } : {}),
          registers: [this.registry],
        }),
    );
  }

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
    return { name: this.prefix + def.name, help: def.help, labelNames: [...(def.labelNames ?? [])] };
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
    return create();
  }
}

function validate(def: MetricDefinition): void {
  if (!def || typeof def.name !== 'string' || !NAME.test(def.name)) {
    throw new ObservabilityConfigError('metric name', def?.name, 'a Prometheus metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*');
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
