import type { MemoryTransport } from '../../helpers/memoryTransport';

const MESSAGE = Symbol.for('message');

/** Every line a memory transport received, parsed from the exact text a real transport would write. */
export function logLines(logs: MemoryTransport): Record<string, any>[] {
  return logs.entries.map(
    (e) => JSON.parse(e[MESSAGE as unknown as string] as string) as Record<string, any>,
  );
}

/** The raw text of every line. */
export function rawLines(logs: MemoryTransport): string[] {
  return logs.entries.map((e) => e[MESSAGE as unknown as string] as string);
}
