import { trace } from '@opentelemetry/api';
import { getRequestContext } from '../context';

const INVALID_TRACE = '00000000000000000000000000000000';
const INVALID_SPAN = '0000000000000000';

/** `trace_flags` as the two hex digits the W3C and OTel log specs use. */
export function traceFlagsHex(flags: number): string {
  return flags === 1 ? '01' : flags === 0 ? '00' : (flags & 0xff).toString(16).padStart(2, '0');
}

/**
 * Sets `trace_id`, `span_id`, `trace_flags` (from the active OTel span) and `request_id`
 * (from the request context) on `fields`, for the operation running right now. Called
 * synchronously where the caller logs, so the right context is read even when a slow
 * transport makes winston format the line later.
 */
export function addCorrelation(fields: Record<string, unknown>): void {
  const span = trace.getActiveSpan();
  if (span !== undefined) {
    const sc = span.spanContext();
    if (sc.traceId !== INVALID_TRACE && sc.spanId !== INVALID_SPAN && sc.traceId.length === 32) {
      fields.trace_id = sc.traceId;
      fields.span_id = sc.spanId;
      fields.trace_flags = traceFlagsHex(sc.traceFlags);
    }
  }
  const request = getRequestContext();
  if (request !== undefined) fields.request_id = request.requestId;
}
