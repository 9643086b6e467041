import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** What another engineer's bench returned, rendered or not. */
export interface ExternalResult {
  readonly file: string;
  /** Absent when the file does not exist yet. */
  readonly value?: unknown;
  readonly error?: string;
}

/**
 * Runs the bench function exported by `bench/<file>` (owned by the pillar's engineer)
 * when the file exists. The function is looked up by the given names, then `default`,
 * then the only exported function; it receives `{ smoke }`.
 */
export async function runExternal(file: string, names: readonly string[], smoke: boolean): Promise<ExternalResult> {
  const path = join(__dirname, file);
  if (!existsSync(path)) return { file };
  try {
    const mod = require(path) as Record<string, unknown>;
    const fns = Object.values(mod).filter((v): v is (...a: unknown[]) => unknown => typeof v === 'function');
    const fn = [...names, 'default'].map((n) => mod[n]).find((v) => typeof v === 'function') ?? (fns.length === 1 ? fns[0] : undefined);
    if (typeof fn !== 'function') return { file, error: `no bench function exported (looked for ${names.join(', ')}, default)` };
    return { file, value: await (fn as (o: { smoke: boolean }) => unknown)({ smoke }) };
  } catch (e) {
    return { file, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/** Markdown for a returned value: strings as they are, rows as a table, objects as key/value rows. */
export function renderExternal(result: ExternalResult): string {
  if (result.error) return `The bench in \`bench/${result.file}\` failed:\n\n\`\`\`\n${result.error}\n\`\`\``;
  if (!('value' in result)) return `\`bench/${result.file}\` does not exist yet.`;
  const v = result.value;
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { markdown?: unknown }).markdown === 'string') return (v as { markdown: string }).markdown;
  const rows = Array.isArray(v) ? v : v && typeof v === 'object' ? (Object.values(v).find(Array.isArray) ?? [v]) : [{ value: v }];
  return table(rows as Record<string, unknown>[]);
}

/** A markdown table of plain rows, columns in first-seen order. */
export function table(rows: readonly Record<string, unknown>[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (x: unknown): string => (typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toFixed(2)) : String(x ?? ''));
  return [`| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(' | ')} |`)].join('\n');
}
