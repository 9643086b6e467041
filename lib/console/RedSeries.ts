/** Width of one time slot of the console's series, in milliseconds. */
export const SLOT_MS = 10_000;
/** Slots kept: one hour at 10 s. */
export const SLOTS = 360;
/** Upper bounds of the latency buckets, in milliseconds (the last bucket is everything above). */
export const LATENCY_BOUNDS_MS = [
  1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000,
] as const;

const BUCKETS = LATENCY_BOUNDS_MS.length + 1;
// Per slot: request count, error count, then the latency buckets.
const WIDTH = 2 + BUCKETS;

/** Requests, errors and latency of a span of time, as the console shows them. */
export interface RedSummary {
  readonly requests: number;
  readonly errors: number;
  /** Requests per second over the span. */
  readonly rate: number;
  /** Errors over requests (0 to 1), or null without requests. */
  readonly errorRatio: number | null;
  /** Latency percentiles in milliseconds (estimated within a bucket), or null without requests. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  /** Mean latency in milliseconds, or null without requests. */
  readonly mean: number | null;
}

/** One slot of a series, oldest first in {@link RedSeries.points}. */
export interface RedPoint extends RedSummary {
  /** Start of the slot, epoch milliseconds. */
  readonly t: number;
}

/**
 * An hour of RED aggregates at 10 s resolution in fixed typed arrays: a ring of 360 slots,
 * each a request count, an error count and a 24-bucket latency histogram. Recording is O(1):
 * a slot found stale (an older lap of the ring) is cleared when first written. Its size
 * never changes: {@link RedSeries.BYTES} bytes.
 */
export class RedSeries {
  /** Bytes held by one series: the counts, the duration sums and the slot stamps. */
  static readonly BYTES = SLOTS * WIDTH * 4 + SLOTS * 8 + SLOTS * 8;
  private readonly counts = new Uint32Array(SLOTS * WIDTH);
  private readonly sums = new Float64Array(SLOTS);
  // The slot number (time / SLOT_MS) each ring position holds; -1 when empty.
  private readonly stamps = new Float64Array(SLOTS).fill(-1);

  /** Records one request that took `ms` milliseconds and ended at `now`. */
  record(now: number, ms: number, failed: boolean): void {
    const slot = Math.floor(now / SLOT_MS);
    const i = slot % SLOTS;
    const at = i * WIDTH;
    const counts = this.counts;
    if (this.stamps[i] !== slot) {
      this.stamps[i] = slot;
      counts.fill(0, at, at + WIDTH);
      this.sums[i] = 0;
    }
    counts[at]++;
    if (failed) counts[at + 1]++;
    counts[at + 2 + bucketOf(ms)]++;
    this.sums[i] += ms;
  }

  /** The last `slots` slots up to `now`, oldest first (empty slots included, with zero requests). */
  points(now: number, slots = SLOTS): RedPoint[] {
    const last = Math.floor(now / SLOT_MS);
    const out: RedPoint[] = [];
    for (let slot = last - Math.min(slots, SLOTS) + 1; slot <= last; slot++) {
      out.push({ t: slot * SLOT_MS, ...this.summarize(slot, slot, SLOT_MS / 1000) });
    }
    return out;
  }

  /** The aggregate of the slots of the last `seconds` up to `now`. */
  summary(now: number, seconds: number): RedSummary {
    const last = Math.floor(now / SLOT_MS);
    const n = Math.max(1, Math.min(SLOTS, Math.round((seconds * 1000) / SLOT_MS)));
    return this.summarize(last - n + 1, last, (n * SLOT_MS) / 1000);
  }

  private summarize(from: number, to: number, seconds: number): RedSummary {
    const hist = new Array<number>(BUCKETS).fill(0);
    let requests = 0;
    let errors = 0;
    let sum = 0;
    for (let slot = from; slot <= to; slot++) {
      const i = ((slot % SLOTS) + SLOTS) % SLOTS;
      if (this.stamps[i] !== slot) continue;
      const at = i * WIDTH;
      requests += this.counts[at]!;
      errors += this.counts[at + 1]!;
      sum += this.sums[i]!;
      for (let b = 0; b < BUCKETS; b++) hist[b]! += this.counts[at + 2 + b]!;
    }
    if (requests === 0)
      return { requests, errors, rate: 0, errorRatio: null, p50: null, p95: null, p99: null, mean: null };
    return {
      requests,
      errors,
      rate: requests / seconds,
      errorRatio: errors / requests,
      p50: quantile(hist, requests, 0.5),
      p95: quantile(hist, requests, 0.95),
      p99: quantile(hist, requests, 0.99),
      mean: sum / requests,
    };
  }
}

function bucketOf(ms: number): number {
  const bounds = LATENCY_BOUNDS_MS;
  let b = 0;
  while (b < bounds.length && ms > bounds[b]!) b++;
  return b;
}

/**
 * The q-quantile of a bucketed distribution, interpolated linearly within its bucket (as
 * Prometheus' `histogram_quantile`); in the open last bucket, its lower bound.
 */
export function quantile(hist: readonly number[], total: number, q: number): number {
  const rank = q * total;
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    const inBucket = hist[b]!;
    if (inBucket > 0 && seen + inBucket >= rank) {
      const lower = b === 0 ? 0 : LATENCY_BOUNDS_MS[b - 1]!;
      if (b >= LATENCY_BOUNDS_MS.length) return lower;
      const upper = LATENCY_BOUNDS_MS[b]!;
      return round(lower + ((upper - lower) * (rank - seen)) / inBucket);
    }
    seen += inBucket;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
