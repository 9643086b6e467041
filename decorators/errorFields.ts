import { safeError, withoutInput } from '../lib/safeError';

const MAX_ERROR_TYPES = 20;

/** The message of anything thrown, input a parser quoted cut (see lib/safeError.ts), without ever throwing itself. */
export function errorMessage(error: unknown): string {
  try {
    return withoutInput(error instanceof Error ? error.message : String(error));
  } catch {
    return 'unprintable error';
  }
}

/** The type of anything thrown: its constructor's name (`TypeError`), else `typeof` (`string`). */
export function errorTypeOf(error: unknown): string {
  if (error === null) return 'null';
  if (typeof error !== 'object' && typeof error !== 'function') return typeof error;
  const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'Object';
}

/**
 * Keeps label values bounded: the first {@link MAX_ERROR_TYPES} error types seen keep their name,
 * later ones become `other`, so an unusual error class per call cannot explode cardinality.
 */
export class ErrorTypeSet {
  private readonly seen = new Set<string>();

  constructor(private readonly max = MAX_ERROR_TYPES) {}

  bounded(error: unknown): string {
    const type = errorTypeOf(error);
    if (this.seen.has(type)) return type;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(type);
    return type;
  }
}

/** Fields describing an error in a log line (message and stack without quoted input). */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: errorTypeOf(error), message: errorMessage(error) };
  const code = (error as { code?: unknown }).code;
  // message and stack as safeError cuts them, so a method's JSON.parse error does not quote its input
  const safe = safeError(error);
  return {
    type: errorTypeOf(error),
    message: safe.message,
    ...(code !== undefined ? { code } : {}),
    stack: safe.stack,
  };
}
