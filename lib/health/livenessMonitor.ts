import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Liveness state: the process can serve while the event loop keeps turning. */
export interface LivenessSample {
  readonly alive: boolean;
  /** p99 event-loop delay since the window began (a new one starts at the first sample 10 s later), in ms. */
  readonly eventLoopDelayP99Ms: number;
  readonly maxEventLoopDelayMs: number;
}

/** Window of the delay statistics: every prober (kubelet, load balancer) sees the same recent data. */
const WINDOW_MS = 10_000;
const RESOLUTION_MS = 20;

/** Samples event-loop delay; `stop()` releases the native histogram. */
export class LivenessMonitor {
  private histogram: IntervalHistogram | undefined;
  private windowStart = 0;

  constructor(private readonly maxDelayMs: number) {}

  /** Enables the histogram (its native timer is unref'd). */
  start(): void {
    if (this.histogram) return;
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
    this.windowStart = performance.now();
  }

  /** Current liveness; cheap enough for every probe. */
  sample(): LivenessSample {
    const h = this.histogram;
    // Recorded values are the time between timer turns: the resolution itself is not delay.
    const p99 = h && h.count > 0 ? Math.max(0, h.percentile(99) / 1e6 - RESOLUTION_MS) : 0;
    // Resetting on every sample would let a second prober right after the first see an empty window.
    const now = performance.now();
    if (h && now - this.windowStart >= WINDOW_MS) {
      h.reset();
      this.windowStart = now;
    }
    const rounded = Math.round(p99 * 100) / 100;
    return {
      alive: rounded <= this.maxDelayMs,
      eventLoopDelayP99Ms: rounded,
      maxEventLoopDelayMs: this.maxDelayMs,
    };
  }

  /** Releases the histogram; `sample()` then reports alive with no delay. */
  stop(): void {
    this.histogram?.disable();
    this.histogram = undefined;
  }
}
