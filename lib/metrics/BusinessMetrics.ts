import type { Counter, Gauge, Histogram } from 'prom-client';
import { OVERFLOW_LABEL } from './LabelGuard';
import type { MetricDefinitions } from './MetricDefinitions';
import type { SelfMetrics } from './SelfMetrics';

/** Label values of a business event: a few low-cardinality dimensions, never ids. */
export type BusinessLabels = Readonly<Record<string, string | number | boolean>>;

/** State of database connections as `database_connections{state}` reports it. */
export type DatabaseConnectionState = 'active' | 'idle' | 'waiting';

/** Most distinct business events (each is its own counter family). */
export const MAX_BUSINESS_EVENTS = 100;

const EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const QUERY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The seed's business helpers, typed and bounded. Metrics are created on first use;
 * labels go through the label guard (so bad values are fixed and counted, and every
 * metric is capped at `maxSeriesPerMetric`). No helper ever throws.
 */
export class BusinessMetrics {
  private readonly events = new Map<string, Counter<string>>();
  private readonly caches = new Map<string, { hits: number; misses: number }>();
  private hits?: Counter<'cache'>;
  private misses?: Counter<'cache'>;
  private active?: Gauge;
  private dbConnections?: Gauge<'state'>;
  private dbQueries?: Histogram<'operation'>;

  constructor(
    private readonly define: MetricDefinitions,
    private readonly self: SelfMetrics,
    private readonly maxSeries: number,
  ) {}

  /**
   * Counts a business event as `business_<event>_total`, labelled with `labels`. The label
   * names of the first call are the event's labels for good; others are dropped and counted.
   */
  recordEvent(event: string, labels: BusinessLabels = {}, value = 1): void {
    const counter = this.eventCounter(event, labels);
    counter?.inc(labels as Record<string, string>, value);
  }

  /** Counts a cache hit (`cache_hits_total{cache}`) and updates `cache_hit_ratio{cache}`. */
  recordCacheHit(cache: string): void {
    this.hits ??= this.define.counter({ name: 'cache_hits_total', help: 'Cache hits by cache.', labelNames: ['cache'] });
    this.hits.inc({ cache });
    this.cacheEntry(cache).hits++;
  }

  /** Counts a cache miss (`cache_misses_total{cache}`) and updates `cache_hit_ratio{cache}`. */
  recordCacheMiss(cache: string): void {
    this.misses ??= this.define.counter({ name: 'cache_misses_total', help: 'Cache misses by cache.', labelNames: ['cache'] });
    this.misses.inc({ cache });
    this.cacheEntry(cache).misses++;
  }

  /** Sets `active_connections` (for example open WebSockets or keep-alive sockets). */
  setActiveConnections(count: number): void {
    this.active ??= this.define.gauge({ name: 'active_connections', help: 'Active client connections.' });
    this.active.set(count);
  }

  /** Sets `database_connections{state}` (pool size by state). */
  setDatabaseConnections(count: number, state: DatabaseConnectionState = 'active'): void {
    this.dbConnections ??= this.define.gauge({
      name: 'database_connections',
      help: 'Database pool connections by state (active, idle, waiting).',
      labelNames: ['state'],
    });
    this.dbConnections.set({ state }, count);
  }

  /** Observes `database_query_duration_seconds{operation}`; operation is a verb such as `select`, never the SQL. */
  observeDbQuery(operation: string, seconds: number): void {
    this.dbQueries ??= this.define.histogram({
      name: 'database_query_duration_seconds',
      help: 'Database query duration in seconds by operation.',
      labelNames: ['operation'],
      buckets: QUERY_BUCKETS,
    });
    this.dbQueries.observe({ operation }, seconds);
  }

  private eventCounter(event: string, labels: BusinessLabels): Counter<string> | undefined {
    const existing = this.events.get(event);
    if (existing) return existing;
    if (typeof event !== 'string' || !EVENT_NAME.test(event)) {
      this.self.labelError('business_events', 'invalid_value');
      return undefined;
    }
    if (this.events.size >= MAX_BUSINESS_EVENTS) {
      this.self.overflowed('business_events', MAX_BUSINESS_EVENTS);
      return undefined;
    }
    try {
      const labelNames = typeof labels === 'object' && labels !== null ? Object.keys(labels).sort() : [];
      const counter = this.define.counter({ name: `business_${event}_total`, help: `Business event ${event}.`, labelNames });
      this.events.set(event, counter);
      return counter;
    } catch {
      // A clash with a metric of the same name or bad label names: counted, never thrown.
      this.self.labelError('business_events', 'invalid_value');
      return undefined;
    }
  }

  private cacheEntry(cache: string): { hits: number; misses: number } {
    let entry = this.caches.get(cache);
    if (entry) return entry;
    const key = typeof cache === 'string' && this.caches.size < this.maxSeries ? cache : OVERFLOW_LABEL;
    entry = this.caches.get(key);
    if (!entry) {
      entry = { hits: 0, misses: 0 };
      this.caches.set(key, entry);
      if (this.caches.size === 1) this.defineRatio();
    }
    return entry;
  }

  private defineRatio(): void {
    const caches = this.caches;
    this.define.gauge({
      name: 'cache_hit_ratio',
      help: 'Hits divided by hits plus misses since start, by cache.',
      aggregator: 'average',
      labelNames: ['cache'],
      collect(this: Gauge<'cache'>) {
        for (const [cache, c] of caches) this.set({ cache }, c.hits / (c.hits + c.misses));
      },
    });
  }
}
