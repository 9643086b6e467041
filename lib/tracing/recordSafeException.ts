import type { Span } from '@opentelemetry/api';
import { safeError, type SafeError } from '../safeError';

/**
 * Records an error on a span as {@link safeError} describes it, never the error itself: the
 * exporter would read its message and stack with any input a parser quoted in them (a
 * `JSON.parse` of a request body). Returns the description for the span's status message.
 */
export function recordSafeException(span: Span, error: unknown): SafeError {
  const safe = safeError(error);
  span.recordException(
    safe.isError ? { name: safe.type, message: safe.message, stack: safe.stack, code: safe.code } : safe.message,
  );
  return safe;
}
