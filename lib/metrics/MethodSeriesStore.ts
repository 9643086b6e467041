import { OVERFLOW_LABEL } from './LabelGuard';
import { MAX_LABEL_VALUE_LENGTH, type SelfMetrics } from './SelfMetrics';

type Labels = Record<string, string>;

/** One label combination of a method metric: calls, non-cumulative bucket counts (last is +Inf), sum, gauge value. */
export interface MethodSeries {
  readonly labels: Labels;
  count: number;
  readonly counts: number[];
  sum: number;
  value: number;
}

/** What a store reports into: the self-metrics and the names of the metrics it backs. */
export interface MethodStoreShape {
  readonly labelNames: readonly string[];
  /** Histogram bounds in seconds; empty for a gauge. */
  readonly bounds: readonly number[];
  readonly maxSeries: number;
  /** Names of the metrics reading this store, for the self-metrics. */
  readonly metricNames: readonly string[];
}

/**
 * The numbers of the `@Metered` metrics, kept as plain counters per label set. A call site
 * resolves its label sets once ({@link MethodSeriesStore.handle}) and then updates its series in
 * place: no label validation, hashing or allocation per call (prom-client's cost more than the
 * rest of the decorator together). The families in MethodFamily expose them through prom-client
 * at scrape time. The same fixes as the label guard of user metrics apply, decided once per label
 * set: long values cut (counted as `too_long` on every observation, as the guard counts them), at
 * most `maxSeries` label sets per metric, then the OVERFLOW series (counted on every observation).
 */
export class MethodSeriesStore {
  /** Bumped by every reset, so handles know their series were dropped. */
  generation = 0;
  /** The series every label set past `maxSeries` goes to. */
  readonly overflow: MethodSeries;
  private series: MethodSeries[] = [];
  private readonly byKey = new Map<string, MethodSeries>();

  constructor(
    readonly shape: MethodStoreShape,
    private readonly self: SelfMetrics,
  ) {
    this.overflow = newSeries(
      Object.fromEntries(shape.labelNames.map((n) => [n, OVERFLOW_LABEL])),
      shape.bounds,
    );
  }

  /** The handle one call site updates for one label set (values in `labelNames` order). */
  handle(values: readonly string[]): MethodSeriesHandle {
    let cut = false;
    const labels: Labels = {};
    this.shape.labelNames.forEach((name, i) => {
      const v = values[i] ?? '';
      if (v.length > MAX_LABEL_VALUE_LENGTH) cut = true;
      labels[name] = v.length > MAX_LABEL_VALUE_LENGTH ? v.slice(0, MAX_LABEL_VALUE_LENGTH) : v;
    });
    return new MethodSeriesHandle(
      this,
      this.shape.labelNames.map((n) => labels[n]!).join('\u0000'),
      labels,
      cut,
    );
  }

  /** Every series, the overflow one last when it has been used. */
  all(): readonly MethodSeries[] {
    const o = this.overflow;
    return o.count > 0 || o.value !== 0 ? [...this.series, o] : this.series;
  }

  /** Forgets every series (prom-client's `registry.resetMetrics()`); call sites find theirs again on their next call. */
  reset(): void {
    this.generation++;
    this.series = [];
    this.byKey.clear();
    const o = this.overflow;
    o.count = 0;
    o.sum = 0;
    o.value = 0;
    o.counts.fill(0);
  }

  /** The series of a label set, created when missing; the overflow one once `maxSeries` are in use. */
  resolve(key: string, labels: Labels): MethodSeries {
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    if (this.series.length >= this.shape.maxSeries) return this.overflow;
    const s = newSeries(labels, this.shape.bounds);
    this.byKey.set(key, s);
    this.series.push(s);
    return s;
  }

  /** Counts, in every metric of the store, an observation that had a label cut or went to the overflow series. */
  fixed(cut: boolean, overflowed: boolean): void {
    for (const name of this.shape.metricNames) {
      if (cut) this.self.labelError(name, 'too_long');
      if (overflowed) this.self.overflowed(name, this.shape.maxSeries);
    }
  }
}

function newSeries(labels: Labels, bounds: readonly number[]): MethodSeries {
  return { labels, count: 0, counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, value: 0 };
}

/**
 * One call site's series for one label set. It keeps the series it resolved and checks, with
 * one comparison per call, that the store was not reset since (then it resolves again).
 */
export class MethodSeriesHandle {
  private series: MethodSeries | undefined;
  private generation = -1;
  /** A label was cut or the series is the overflow one: counted on every observation. */
  private fixes = false;

  constructor(
    private readonly store: MethodSeriesStore,
    private readonly key: string,
    private readonly labels: Labels,
    private readonly cut: boolean,
  ) {}

  /** Adds one call of `seconds` to the histogram and the calls counter. */
  observe(seconds: number): void {
    const s = this.live();
    s.count++;
    const bounds = this.store.shape.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    s.counts[i]!++;
    s.sum += seconds;
  }

  /** Adds `delta` to the gauge. */
  add(delta: number): void {
    this.live().value += delta;
  }

  private live(): MethodSeries {
    const store = this.store;
    let s = this.series;
    if (s === undefined || this.generation !== store.generation) {
      s = this.series = store.resolve(this.key, this.labels);
      this.generation = store.generation;
      this.fixes = this.cut || s === store.overflow;
    }
    if (this.fixes) store.fixed(this.cut, s === store.overflow);
    return s;
  }
}
