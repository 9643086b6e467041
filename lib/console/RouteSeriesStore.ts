import { OVERFLOW_LABEL } from '../metrics/LabelGuard';
import { RedSeries, type RedSummary } from './RedSeries';

/** The last failure of a route, for the routes table. */
export interface RouteError {
  readonly time: string;
  readonly status: number;
  readonly type: string;
  readonly traceId: string | undefined;
}

/** One row of the routes table. */
export interface RouteRow extends RedSummary {
  readonly method: string;
  readonly route: string;
  readonly lastError: RouteError | undefined;
}

interface Entry {
  readonly series: RedSeries;
  lastError: RouteError | undefined;
}

/**
 * A {@link RedSeries} per method and route template (the templates the metrics use), at most
 * `maxRoutes` of them (later ones share one `OVERFLOW` series), plus one for all requests.
 */
export class RouteSeriesStore {
  readonly overall = new RedSeries();
  private readonly routes = new Map<string, Map<string, Entry>>();
  private size = 0;

  constructor(readonly maxRoutes: number) {}

  /** Bytes the series hold now; at most `(maxRoutes + 2) * RedSeries.BYTES`. */
  get bytes(): number {
    return (this.size + 1) * RedSeries.BYTES;
  }

  record(now: number, method: string, route: string, ms: number, failed: boolean): Entry {
    this.overall.record(now, ms, failed);
    const entry = this.entry(method, route);
    entry.series.record(now, ms, failed);
    return entry;
  }

  /** Every route over the last `seconds`. */
  rows(now: number, seconds: number): RouteRow[] {
    const rows: RouteRow[] = [];
    for (const [route, methods] of this.routes) {
      for (const [method, e] of methods)
        rows.push({ method, route, ...e.series.summary(now, seconds), lastError: e.lastError });
    }
    return rows;
  }

  /** The series of one route, or undefined when it has none. */
  series(method: string, route: string): RedSeries | undefined {
    return this.routes.get(route)?.get(method)?.series;
  }

  private entry(method: string, route: string): Entry {
    let methods = this.routes.get(route);
    let e = methods?.get(method);
    if (e) return e;
    if (this.size >= this.maxRoutes) {
      if (route !== OVERFLOW_LABEL || method !== OVERFLOW_LABEL)
        return this.entry(OVERFLOW_LABEL, OVERFLOW_LABEL);
    }
    if (!methods) this.routes.set(route, (methods = new Map()));
    e = { series: new RedSeries(), lastError: undefined };
    methods.set(method, e);
    this.size++;
    return e;
  }
}
