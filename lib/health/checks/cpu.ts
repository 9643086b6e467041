import { availableParallelism, cpus, loadavg } from 'node:os';
import { assertOption, ObservabilityConfigError } from '../../configError';
import type { HealthCheckDefinition } from '../healthTypes';
import { checkOptions, overThreshold, withPolicy, type CheckPolicyOptions } from './checkPolicy';

/** Options of {@link cpu}. */
export interface CpuCheckOptions extends CheckPolicyOptions {
  /** Degraded when machine CPU use since the previous check exceeds this percentage. Default: 90. */
  readonly maxCpuPercent?: number;
  /** Degraded when the 1-minute load average per core exceeds this. Default: no limit. */
  readonly maxLoadPerCore?: number;
}

interface CpuTimes {
  busy: number;
  total: number;
}

const OPTION = 'checks.cpu';

/**
 * Checks CPU: machine CPU use since the previous run of this check (the first run
 * measures since construction) and the load average per core. Over a threshold it
 * reports degraded (unhealthy only when declared critical). Non-critical by default.
 * Details: cpuPercent, processCpuPercent, loadAverage1m, loadPerCore, cores, thresholds.
 */
export function cpu(options?: CpuCheckOptions): HealthCheckDefinition {
  const o = checkOptions(OPTION, options, ['maxCpuPercent', 'maxLoadPerCore']);
  const maxCpuPercent = o.maxCpuPercent === undefined ? 90 : percent(o.maxCpuPercent);
  const maxLoadPerCore =
    o.maxLoadPerCore === undefined
      ? undefined
      : assertOption.nonNegativeNumber(`${OPTION}.maxLoadPerCore`, o.maxLoadPerCore);
  const over = overThreshold(o.critical);
  const cores = availableParallelism();
  let previous = { times: cpuTimes(), process: process.cpuUsage(), at: performance.now() };

  const check = (): Record<string, unknown> => {
    const now = { times: cpuTimes(), process: process.cpuUsage(), at: performance.now() };
    const total = now.times.total - previous.times.total;
    const cpuPercent = total > 0 ? round((100 * (now.times.busy - previous.times.busy)) / total) : 0;
    const wallMicros = (now.at - previous.at) * 1000 * cores;
    const processMicros =
      now.process.user - previous.process.user + now.process.system - previous.process.system;
    const processCpuPercent = wallMicros > 0 ? round((100 * processMicros) / wallMicros) : 0;
    previous = now;
    const loadAverage1m = loadavg()[0];
    const loadPerCore = round(loadAverage1m / cores);
    const problems: string[] = [];
    if (cpuPercent > maxCpuPercent) problems.push(`cpu ${cpuPercent}% > ${maxCpuPercent}%`);
    if (maxLoadPerCore !== undefined && loadPerCore > maxLoadPerCore)
      problems.push(`load per core ${loadPerCore} > ${maxLoadPerCore}`);
    return {
      status: problems.length ? over : 'healthy',
      ...(problems.length ? { reason: problems.join('; ') } : {}),
      cpuPercent,
      processCpuPercent,
      loadAverage1m: round(loadAverage1m),
      loadPerCore,
      cores,
      maxCpuPercent,
      ...(maxLoadPerCore === undefined ? {} : { maxLoadPerCore }),
    };
  };
  return withPolicy(OPTION, check, o, false);
}

function percent(value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 100)) {
    throw new ObservabilityConfigError(`${OPTION}.maxCpuPercent`, value, 'a percentage from 0 to 100');
  }
  return value;
}

/** Busy and total CPU time summed over all cores, in ms since boot. */
function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const { user, nice, sys, irq, idle } = c.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
