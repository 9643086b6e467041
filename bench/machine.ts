import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';

/** A one-line description of the machine the figures come from. */
export function describeMachine(): string {
  const cpu = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  return [
    `CPU: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores`,
    `memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `OS: ${osType()} ${release()}`,
    `Node ${process.version}`,
    `load average at start: ${load}`,
    `date: ${new Date().toISOString()}`,
  ].join('; ');
}
