import { statfs } from 'node:fs/promises';
import { assertOption } from '../../configError';
import type { HealthCheckDefinition } from '../healthTypes';
import { checkOptions, overThreshold, roundRatio, withPolicy, type CheckPolicyOptions } from './checkPolicy';

/** Options of {@link disk}. */
export interface DiskCheckOptions extends CheckPolicyOptions {
  /** A path on the file system to watch. Default: the working directory. */
  readonly path?: string;
  /** Degraded below this many free bytes. Default: no byte limit. */
  readonly minFreeBytes?: number;
  /** Degraded below this share of free space. Default: 0.1 when `minFreeBytes` is not set, else none. */
  readonly minFreeRatio?: number;
}

const OPTION = 'checks.disk';

/**
 * Checks free space on the file system that holds `path` (`fs.statfs`), counting the
 * blocks available to this unprivileged process. Below a threshold it reports
 * degraded (unhealthy only when declared critical); a missing path fails the check.
 * Non-critical by default.
 */
export function disk(options?: DiskCheckOptions): HealthCheckDefinition {
  const o = checkOptions(OPTION, options, ['path', 'minFreeBytes', 'minFreeRatio']);
  const path = o.path === undefined ? process.cwd() : assertOption.nonEmptyString(`${OPTION}.path`, o.path);
  const minFreeBytes =
    o.minFreeBytes === undefined
      ? undefined
      : assertOption.nonNegativeNumber(`${OPTION}.minFreeBytes`, o.minFreeBytes);
  const minFreeRatio =
    o.minFreeRatio === undefined
      ? minFreeBytes === undefined
        ? 0.1
        : undefined
      : assertOption.ratio(`${OPTION}.minFreeRatio`, o.minFreeRatio);
  const over = overThreshold(o.critical);

  const check = async (): Promise<Record<string, unknown>> => {
    const s = await statfs(path);
    const totalBytes = s.blocks * s.bsize;
    const freeBytes = s.bavail * s.bsize;
    const freeRatio = totalBytes > 0 ? roundRatio(freeBytes / totalBytes) : 0;
    const problems: string[] = [];
    if (minFreeBytes !== undefined && freeBytes < minFreeBytes)
      problems.push(`${freeBytes} bytes free < ${minFreeBytes}`);
    if (minFreeRatio !== undefined && freeRatio < minFreeRatio)
      problems.push(`free ratio ${freeRatio} < ${minFreeRatio}`);
    return {
      status: problems.length ? over : 'healthy',
      ...(problems.length ? { reason: problems.join('; ') } : {}),
      path,
      freeBytes,
      totalBytes,
      freeRatio,
      ...(minFreeBytes === undefined ? {} : { minFreeBytes }),
      ...(minFreeRatio === undefined ? {} : { minFreeRatio }),
    };
  };
  return withPolicy(OPTION, check, o, false);
}
