import { errorType, OTHER_ERROR_TYPE } from '../lib/errorType';
import { safeError } from '../lib/safeError';

const MAX_ERROR_TYPES = 20;

/**
 * Keeps label values bounded: the first {@link MAX_ERROR_TYPES} error types seen (lib/errorType.ts,
 * the same `error.type` the span and the log line carry) keep their name, later ones become
 * `_OTHER`, so an unusual error class per call cannot explode cardinality.
 */
export class ErrorTypeSet {
  private readonly seen = new Set<string>();

  constructor(private readonly max = MAX_ERROR_TYPES) {}

  bounded(error: unknown): string {
    const type = errorType(error);
    if (this.seen.has(type)) return type;
    if (this.seen.size >= this.max) return OTHER_ERROR_TYPE;
    this.seen.add(type);
    return type;
  }
}

/**
 * Fields describing an error in a log line: its `error.type` (lib/errorType.ts), and message and
 * stack as safeError cuts them, so a method's JSON.parse error does not quote its input.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  const safe = safeError(error);
  if (!safe.isError) return { type: safe.type, message: safe.message };
  return {
    type: safe.type,
    message: safe.message,
    ...(safe.code !== undefined ? { code: safe.code } : {}),
    stack: safe.stack,
  };
}
