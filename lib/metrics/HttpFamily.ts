import type { Registry } from 'prom-client';
import { ObservabilityConfigError } from '../configError';
import type { Cells, HttpSeries, HttpSeriesStore } from './HttpSeriesStore';

interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
  exemplar?: unknown;
}

/**
 * One HTTP metric family (`http_requests_total`, a duration or size histogram) as a
 * prom-client registry entry, read from the series store at scrape time. It has the shape
 * prom-client's own registry, cluster aggregation and OpenMetrics exposition use
 * (`name`, `help`, `type`, `aggregator`, `get()`, `reset()`), the same shape
 * AggregatorRegistry registers, so the exposition stays prom-client's.
 */
export class HttpFamily {
  readonly aggregator = 'sum';
  readonly labelNames: string[];

  private constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    readonly store: HttpSeriesStore,
    private readonly cellsOf: ((s: HttpSeries) => Cells | undefined) | undefined,
    private readonly bounds: readonly number[],
  ) {
    const n = store.shape.names;
    this.labelNames = [n.method, n.route, n.status, ...(n.errorType ? [n.errorType] : [])];
  }

  /**
   * Registers a family, or returns the store of the one already on the registry (two
   * instances sharing a registry share the series, as prom-client metrics would).
   */
  static register(
    registry: Registry,
    def: { name: string; help: string; type: 'counter' | 'histogram'; cells?: (s: HttpSeries) => Cells | undefined; bounds?: readonly number[] },
    store: HttpSeriesStore,
  ): HttpSeriesStore {
    const existing = registry.getSingleMetric(def.name) as unknown;
    if (existing instanceof HttpFamily) return existing.store;
    if (existing) {
      throw new ObservabilityConfigError(`metric "${def.name}"`, 'already defined', 'a registry where the HTTP metric names are free, or metrics.prefix');
    }
    registry.registerMetric(new HttpFamily(def.name, def.help, def.type, store, def.cells, def.bounds ?? []) as never);
    return store;
  }

  /** Called by prom-client at scrape time. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    for (const s of this.store.all()) {
      if (this.type === 'counter') values.push({ labels: s.labels, value: s.count });
      else this.histogramSamples(s, values);
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** prom-client's `registry.resetMetrics()`. */
  reset(): void {
    this.store.reset();
  }

  private histogramSamples(s: HttpSeries, out: Sample[]): void {
    const c = this.cellsOf!(s);
    if (!c) return;
    const bucket = `${this.name}_bucket`;
    let acc = 0;
    for (let i = 0; i <= this.bounds.length; i++) {
      acc += c.counts[i]!;
      out.push({
        labels: { ...s.labels, le: i < this.bounds.length ? this.bounds[i]! : '+Inf' },
        value: acc,
        metricName: bucket,
        exemplar: c.exemplars?.[i],
      });
    }
    out.push({ labels: s.labels, value: c.sum, metricName: `${this.name}_sum` });
    out.push({ labels: s.labels, value: acc, metricName: `${this.name}_count` });
  }
}
