/** Longest error message kept in a result: results are cached and served, so they stay bounded. */
const MAX_LENGTH = 500;

/**
 * The message of an error, never its stack: a `cause` (fetch's "fetch failed") and
 * the errors of an AggregateError (dual-stack connects) are brought out. Errors are
 * recognised by shape, not `instanceof`, since they may come from another realm
 * (a vm context, a worker, Jest's sandbox).
 */
export function messageWithCauses(error: unknown): string {
  const text = describe(error, 0);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

function describe(error: unknown, depth: number): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as { message?: unknown; code?: unknown; name?: unknown; errors?: unknown; cause?: unknown };
  if (Array.isArray(e.errors) && e.errors.length && depth < 3) {
    return e.errors.map((inner) => describe(inner, depth + 1)).join('; ');
  }
  const own =
    typeof e.message === 'string' && e.message
      ? e.message
      : typeof e.code === 'string'
        ? e.code
        : typeof e.name === 'string'
          ? e.name
          : 'unknown error';
  if (depth < 3 && e.cause !== undefined && e.cause !== error) {
    const inner = describe(e.cause, depth + 1);
    if (inner && !own.includes(inner)) return `${own}: ${inner}`;
  }
  return own;
}
