import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { assertOption } from '../../configError';
import type { HealthCheckDefinition } from '../healthTypes';
import { checkOptions, overThreshold, withPolicy, type CheckPolicyOptions } from './checkPolicy';

/** Options of {@link eventLoop}. */
export interface EventLoopCheckOptions extends CheckPolicyOptions {
  /** Degraded when the p99 event-loop delay since the previous check exceeds this. Default: 200 ms. */
  readonly maxDelayMs?: number;
}

const OPTION = 'checks.eventLoop';
/** Histogram resolution: fine enough to see delays of tens of ms, cheap enough to leave on. */
const RESOLUTION_MS = 10;
/** The first run has no history yet; it samples this long before answering. */
const FIRST_SAMPLE_MS = 100;

/**
 * Checks event-loop delay (p99, mean and max since the previous run of this check)
 * with Node's `monitorEventLoopDelay`. The histogram starts at the first run, not at
 * construction, and its native timer is unref'd, so it never keeps the process
 * alive. Over the threshold it reports degraded (unhealthy only when declared
 * critical). Non-critical by default.
 */
export function eventLoop(options?: EventLoopCheckOptions): HealthCheckDefinition {
  const o = checkOptions(OPTION, options, ['maxDelayMs']);
  const maxDelayMs =
    o.maxDelayMs === undefined ? 200 : assertOption.positiveNumber(`${OPTION}.maxDelayMs`, o.maxDelayMs);
  const over = overThreshold(o.critical);
  let histogram: IntervalHistogram | undefined;

  const check = async (): Promise<Record<string, unknown>> => {
    if (!histogram) {
      histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      histogram.enable();
      // Not unref'd: someone awaits this answer, and 100 ms is all it can hold the process.
      await new Promise((resolve) => setTimeout(resolve, FIRST_SAMPLE_MS));
    }
    const h = histogram;
    const seen = h.count > 0;
    const p99DelayMs = seen ? ms(h.percentile(99)) : 0;
    const details = {
      p99DelayMs,
      meanDelayMs: seen ? ms(h.mean) : 0,
      maxDelayMsSeen: seen ? ms(h.max) : 0,
      samples: h.count,
      maxDelayMs,
    };
    h.reset();
    const bad = p99DelayMs > maxDelayMs;
    return {
      status: bad ? over : 'healthy',
      ...(bad ? { reason: `p99 delay ${p99DelayMs} ms > ${maxDelayMs} ms` } : {}),
      ...details,
    };
  };
  return withPolicy(OPTION, check, o, false);
}

/** Histogram values are nanoseconds between timer turns, so the resolution itself is taken off. */
function ms(ns: number): number {
  return Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
}
