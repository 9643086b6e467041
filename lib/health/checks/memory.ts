import { freemem, totalmem } from 'node:os';
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
  /** Degraded when the machine's used memory (all but what the OS reports available) exceeds this share. Default: no limit. */
  readonly maxSystemUsedRatio?: number;
}

const OPTION = 'checks.memory';

/**
 * Checks memory: heap used against V8's heap limit (the ceiling that crashes the
 * process, unlike `heapTotal`, which grows on demand), RSS and, when asked, the machine's
 * used memory. Over a threshold it
 * reports degraded (unhealthy only when declared critical). Non-critical by default.
 */
export function memory(options?: MemoryCheckOptions): HealthCheckDefinition {
  const o = checkOptions(OPTION, options, ['maxHeapUsedRatio', 'maxRssBytes', 'maxSystemUsedRatio']);
  const maxHeapUsedRatio =
    o.maxHeapUsedRatio === undefined
      ? 0.9
      : assertOption.ratio(`${OPTION}.maxHeapUsedRatio`, o.maxHeapUsedRatio);
  const maxRssBytes =
    o.maxRssBytes === undefined
      ? undefined
      : assertOption.positiveNumber(`${OPTION}.maxRssBytes`, o.maxRssBytes);
  const maxSystemUsedRatio =
    o.maxSystemUsedRatio === undefined
      ? undefined
      : assertOption.ratio(`${OPTION}.maxSystemUsedRatio`, o.maxSystemUsedRatio);
  const over = overThreshold(o.critical);

  const check = (): Record<string, unknown> => {
    const heap = getHeapStatistics();
    const rssBytes = process.memoryUsage.rss();
    const heapUsedRatio = roundRatio(heap.used_heap_size / heap.heap_size_limit);
    const systemTotalBytes = totalmem();
    const systemUsedRatio = roundRatio(1 - freemem() / systemTotalBytes);
    const problems: string[] = [];
    if (heapUsedRatio > maxHeapUsedRatio)
      problems.push(`heap used ${heapUsedRatio} of the limit > ${maxHeapUsedRatio}`);
    if (maxRssBytes !== undefined && rssBytes > maxRssBytes)
      problems.push(`rss ${rssBytes} bytes > ${maxRssBytes}`);
    if (maxSystemUsedRatio !== undefined && systemUsedRatio > maxSystemUsedRatio)
      problems.push(`system memory used ${systemUsedRatio} > ${maxSystemUsedRatio}`);
    return {
      status: problems.length ? over : 'healthy',
      ...(problems.length ? { reason: problems.join('; ') } : {}),
      heapUsedBytes: heap.used_heap_size,
      heapLimitBytes: heap.heap_size_limit,
      heapUsedRatio,
      maxHeapUsedRatio,
      rssBytes,
      ...(maxRssBytes === undefined ? {} : { maxRssBytes }),
      systemUsedRatio,
      systemTotalBytes,
      ...(maxSystemUsedRatio === undefined ? {} : { maxSystemUsedRatio }),
    };
  };
  return withPolicy(OPTION, check, o, false);
}
