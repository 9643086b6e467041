/** Limits applied to arguments and results before they are logged. */
export interface ValueBounds {
  /** Longest string kept; longer ones are cut. */
  readonly maxString: number;
  /** Nesting below this depth becomes a short description. */
  readonly maxDepth: number;
  /** Keys of an object, or items of an array, kept per level. */
  readonly maxEntries: number;
  /** Values copied in total; the rest become `[truncated]`. */
  readonly maxNodes: number;
}

/** Default bounds: small enough for one log line, large enough to be useful. */
export const DEFAULT_VALUE_BOUNDS: ValueBounds = { maxString: 256, maxDepth: 3, maxEntries: 20, maxNodes: 100 };

// A safety net only: the logging pillar's format redacts secrets at any depth as well. Same rule:
// a key is secret when, lower-cased and stripped to letters and digits, it contains one of these.
const SECRET_PARTS = ['authorization', 'cookie', 'password', 'passwd', 'secret', 'token', 'apikey', 'privatekey', 'credential'];

function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_PARTS.some((part) => k.includes(part));
}

/**
 * A size-bounded, JSON-friendly copy of `value` for a log field. Cost is proportional to the
 * bounds, not to the value, so a huge argument costs no more than a small one.
 */
export function boundValue(value: unknown, bounds: ValueBounds = DEFAULT_VALUE_BOUNDS): unknown {
  const budget = { left: bounds.maxNodes };
  return copy(value, bounds, 0, budget);
}

function copy(value: unknown, b: ValueBounds, depth: number, budget: { left: number }): unknown {
  if (budget.left-- <= 0) return '[truncated]';
  switch (typeof value) {
    case 'string':
      return value.length > b.maxString ? `${value.slice(0, b.maxString)}...[${value.length - b.maxString} more chars]` : value;
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'bigint':
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`;
  }
  if (value === null) return null;
  const obj = value as object;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  if (obj instanceof Error) return { type: obj.constructor.name, message: copy(obj.message, b, depth + 1, budget) };
  if (ArrayBuffer.isView(obj)) return `[${obj.constructor.name} ${obj.byteLength} bytes]`;
  if (obj instanceof Map || obj instanceof Set) return `[${obj.constructor.name} ${obj.size}]`;
  if (depth >= b.maxDepth) return Array.isArray(obj) ? `[Array(${obj.length})]` : `[${obj.constructor?.name ?? 'Object'}]`;
  if (Array.isArray(obj)) {
    const n = Math.min(obj.length, b.maxEntries);
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = copy(obj[i], b, depth + 1, budget);
    if (obj.length > n) out.push(`[${obj.length - n} more items]`);
    return out;
  }
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    if (kept++ >= b.maxEntries) {
      out['...'] = 'more keys omitted';
      break;
    }
    out[key] = isSecretKey(key) ? '[REDACTED]' : copy((obj as Record<string, unknown>)[key], b, depth + 1, budget);
  }
  return out;
}
