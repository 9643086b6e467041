import { requestErrorType } from '../errorType';
import type { FinishedRequest } from '../requestLifecycle';
import { OVERFLOW_LABEL } from './LabelGuard';
import type { SelfMetrics } from './SelfMetrics';

type Labels = Record<string, string>;

/** Label names of the HTTP metrics in one preset. */
export interface HttpLabelNames {
  readonly method: string;
  readonly route: string;
  readonly status: string;
  /** Only in the otel preset. */
  readonly errorType: string | undefined;
}

/** An exemplar slot, updated in place (prom-client's exposition reads this shape). */
export interface ExemplarSlot {
  readonly labelSet: { trace_id: string; span_id: string };
  value: number;
  timestamp: number;
}

/** Non-cumulative bucket counts (last one is +Inf) and the sum of one histogram series. */
export interface Cells {
  readonly counts: number[];
  sum: number;
  readonly exemplars: Array<ExemplarSlot | undefined> | undefined;
}

/** One label combination of the HTTP metrics. */
export interface HttpSeries {
  readonly labels: Labels;
  count: number;
  readonly duration: Cells;
  readonly requestSize: Cells | undefined;
  readonly responseSize: Cells | undefined;
}

/** What fixes the shape of the series. */
export interface HttpSeriesShape {
  readonly names: HttpLabelNames;
  readonly durationBounds: readonly number[];
  readonly sizeBounds: readonly number[] | undefined;
  readonly exemplars: boolean;
  readonly maxSeries: number;
  /** Metric names, for the overflow self-metric. */
  readonly metricNames: readonly string[];
}

// OpenTelemetry's known methods; any other becomes `_OTHER` in the otel preset.
const OTEL_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);

/**
 * The HTTP metrics' numbers, kept as plain counters per (route, method, status): a
 * finished request costs three map lookups and a few additions, no allocation and no
 * label hashing (prom-client's per-call validation and hashing cost more than the rest
 * of the metrics path together). The families in HttpFamily expose them through
 * prom-client at scrape time. The series cache is also the cardinality cap.
 */
export class HttpSeriesStore {
  readonly series: HttpSeries[] = [];
  private readonly cache = new Map<string, Map<string, Map<number | string, HttpSeries>>>();
  private readonly overflow: HttpSeries;

  constructor(
    readonly shape: HttpSeriesShape,
    private readonly self: SelfMetrics,
  ) {
    const n = shape.names;
    this.overflow = this.newSeries({ [n.method]: OVERFLOW_LABEL, [n.route]: OVERFLOW_LABEL, [n.status]: OVERFLOW_LABEL });
  }

  /** Adds one finished request. */
  record(r: FinishedRequest): void {
    const s = this.seriesFor(r);
    s.count++;
    const { durationBounds, sizeBounds } = this.shape;
    const d = s.duration;
    const i = observe(d, durationBounds, r.durationSeconds);
    if (d.exemplars && r.traceId) {
      const slot = d.exemplars[i];
      if (slot) {
        slot.labelSet.trace_id = r.traceId;
        slot.labelSet.span_id = r.spanId ?? '';
        slot.value = r.durationSeconds;
        slot.timestamp = Date.now() / 1000;
      } else {
        d.exemplars[i] = { labelSet: { trace_id: r.traceId, span_id: r.spanId ?? '' }, value: r.durationSeconds, timestamp: Date.now() / 1000 };
      }
    }
    if (s.requestSize) {
      observe(s.requestSize, sizeBounds!, r.requestBytes);
      observe(s.responseSize!, sizeBounds!, r.responseBytes);
    }
  }

  /** Every series, the overflow one last when it has been used. */
  all(): HttpSeries[] {
    return this.overflow.count > 0 ? [...this.series, this.overflow] : this.series;
  }

  /** Forgets every series (prom-client's `registry.resetMetrics()`). */
  reset(): void {
    this.cache.clear();
    this.series.length = 0;
    const o = this.overflow;
    o.count = 0;
    for (const c of [o.duration, o.requestSize, o.responseSize]) if (c) clear(c);
  }

  private seriesFor(r: FinishedRequest): HttpSeries {
    const n = this.shape.names;
    // The span's and the access log's classification (lib/errorType.ts), so exemplars link alike.
    const errorType = n.errorType ? requestErrorType(r) : undefined;
    const key: number | string = errorType === undefined ? r.statusCode : `${r.statusCode} ${errorType}`;
    let byMethod = this.cache.get(r.route);
    let byStatus = byMethod?.get(r.method);
    const cached = byStatus?.get(key);
    if (cached) return cached;
    if (this.series.length >= this.shape.maxSeries) {
      for (const name of this.shape.metricNames) this.self.overflowed(name, this.shape.maxSeries);
      return this.overflow;
    }
    const labels: Labels = {
      [n.method]: n.errorType && !OTEL_METHODS.has(r.method) ? '_OTHER' : r.method,
      [n.route]: r.route,
      [n.status]: String(r.statusCode),
    };
    if (errorType !== undefined) labels[n.errorType!] = errorType;
    const s = this.newSeries(labels);
    if (!byMethod) this.cache.set(r.route, (byMethod = new Map()));
    if (!byStatus) byMethod.set(r.method, (byStatus = new Map()));
    byStatus.set(key, s);
    this.series.push(s);
    return s;
  }

  private newSeries(labels: Labels): HttpSeries {
    const { durationBounds, sizeBounds, exemplars } = this.shape;
    return {
      labels,
      count: 0,
      duration: cells(durationBounds, exemplars),
      requestSize: sizeBounds ? cells(sizeBounds, false) : undefined,
      responseSize: sizeBounds ? cells(sizeBounds, false) : undefined,
    };
  }
}

function cells(bounds: readonly number[], exemplars: boolean): Cells {
  return {
    counts: new Array<number>(bounds.length + 1).fill(0),
    sum: 0,
    exemplars: exemplars ? new Array<ExemplarSlot | undefined>(bounds.length + 1).fill(undefined) : undefined,
  };
}

function clear(c: Cells): void {
  c.counts.fill(0);
  c.sum = 0;
  c.exemplars?.fill(undefined);
}

/** Adds `v` to its bucket (le semantics) and returns the bucket index. */
function observe(c: Cells, bounds: readonly number[], v: number): number {
  let i = 0;
  while (i < bounds.length && v > bounds[i]!) i++;
  c.counts[i]!++;
  c.sum += v;
  return i;
}
