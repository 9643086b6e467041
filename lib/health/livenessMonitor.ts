import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Liveness state: the process can serve while the event loop keeps turning. */
export interface LivenessSample {
  readonly alive: boolean;
  /** p99 event-loop delay since the previous sample, in ms. */
  readonly eventLoopDelayP99Ms: number;
  readonly maxEventLoopDelayMs: number;
}

/** Samples event-loop delay; `stop()` releases the native histogram. */
export class LivenessMonitor {
  private histogram: IntervalHistogram | undefined;

  constructor(private readonly maxDelayMs: number) {}

  start(): void {
    if (this.histogram) return;
    this.histogram = monitorEventLoopDelay({ resolution: 20 });
    this.histogram.enable();
  }

  sample(): LivenessSample {
    const h = this.histogram;
    const p99 = h && h.count > 0 ? h.percentile(99) / 1e6 : 0;
    h?.reset();
    const rounded = Math.round(p99 * 100) / 100;
    return { alive: rounded <= this.maxDelayMs, eventLoopDelayP99Ms: rounded, maxEventLoopDelayMs: this.maxDelayMs };
  }

  stop(): void {
    this.histogram?.disable();
    this.histogram = undefined;
  }
}
