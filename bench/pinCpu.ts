import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * The CPU the bench's servers run on, and the one its load generator runs on, or undefined
 * when the machine has one CPU, `taskset` is missing, or `BENCH_PIN=0`. Pinned, a server
 * never shares its CPU with autocannon nor migrates between CPUs mid-window, which takes
 * one source of spread out of the per-request CPU figures.
 */
export function pinning(): { server: number; load: number } | undefined {
  if (process.env.BENCH_PIN === '0' || availableParallelism() < 2) return undefined;
  hasTaskset ??= probeTaskset();
  return hasTaskset ? { server: availableParallelism() - 1, load: 0 } : undefined;
}

let hasTaskset: boolean | undefined;

function probeTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins every thread of process `pid` (threads started later inherit it) to `cpu`. */
export function pinToCpu(pid: number, cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}
