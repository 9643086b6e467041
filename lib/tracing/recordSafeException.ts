import type { Span } from '@opentelemetry/api';
import { safeError, type SafeError } from '../safeError';

/**
 * Records an error on a span as {@link safeError} describes it, never the error itself: the
 * exporter would read its message and stack with any input a parser quoted in them (a
 * `JSON.parse` of a request body). Returns the description for the span's status message.
 */
export function recordSafeException(span: Span, error: unknown): SafeError {
  const safe = safeError(error);
  // No `code`: the SDK would make it `exception.type` (a DOMException's 20, `ECONNREFUSED`),
  // and the type stays the `error.type` of every signal; a thrown string gets its type too.
  span.recordException({ name: safe.type, message: safe.message, stack: safe.stack });
  return safe;
}
