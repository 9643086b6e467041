import { getHeapStatistics } from 'node:v8';
import { assertOption } from '../../configError';
import type { HealthCheckDefinition } from '../healthTypes';
import { checkOptions, overThreshold, roundRatio, withPolicy, type CheckPolicyOptions } from './checkPolicy';

/** Options of {@link memory}. */
export interface MemoryCheckOptions extends CheckPolicyOptions {
  /** Degraded when used heap exceeds this share of V8's heap limit. Default: 0.9. */
  readonly maxHeapUsedRatio?: number;
  /** Degraded when resident set size exceeds this many bytes. Default: no limit. */
  readonly maxRssBytes?: number;
}

const OPTION = 'checks.memory';

/**
 * Checks memory: heap used against V8's heap limit (the ceiling that crashes the
 * process, unlike `heapTotal`, which grows on demand) and RSS. Over a threshold it
 * reports degraded (unhealthy only when declared critical). Non-critical by default.
 */
export function memory(options?: MemoryCheckOptions): HealthCheckDefinition {
  const o = checkOptions(OPTION, options, ['maxHeapUsedRatio', 'maxRssBytes']);
  const maxHeapUsedRatio =
    o.maxHeapUsedRatio === undefined
      ? 0.9
      : assertOption.ratio(`${OPTION}.maxHeapUsedRatio`, o.maxHeapUsedRatio);
  const maxRssBytes =
    o.maxRssBytes === undefined
      ? undefined
      : assertOption.positiveNumber(`${OPTION}.maxRssBytes`, o.maxRssBytes);
  const over = overThreshold(o.critical);

  const check = (): Record<string, unknown> => {
    const heap = getHeapStatistics();
    const rssBytes = process.memoryUsage.rss();
    const heapUsedRatio = roundRatio(heap.used_heap_size / heap.heap_size_limit);
    const problems: string[] = [];
    if (heapUsedRatio > maxHeapUsedRatio)
      problems.push(`heap used ${heapUsedRatio} of the limit > ${maxHeapUsedRatio}`);
    if (maxRssBytes !== undefined && rssBytes > maxRssBytes)
      problems.push(`rss ${rssBytes} bytes > ${maxRssBytes}`);
    return {
      status: problems.length ? over : 'healthy',
      ...(problems.length ? { reason: problems.join('; ') } : {}),
      heapUsedBytes: heap.used_heap_size,
      heapLimitBytes: heap.heap_size_limit,
      heapUsedRatio,
      maxHeapUsedRatio,
      rssBytes,
      ...(maxRssBytes === undefined ? {} : { maxRssBytes }),
    };
  };
  return withPolicy(OPTION, check, o, false);
}
