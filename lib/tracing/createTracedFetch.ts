import { context, SpanKind, SpanStatusCode, trace, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import { errorType } from '../errorType';
import { recordSafeException } from './recordSafeException';

/** `fetch` with the signature of the global one. */
export type TracedFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` that makes a CLIENT span (child of the active span) and sends its context in
 * `traceparent`/`tracestate`/`baggage`, so the called service continues the same trace
 * without any instrumentation. The call itself runs with tracing suppressed so a preloaded
 * fetch instrumentation does not add a second client span or overwrite the headers.
 */
export function createTracedFetch(tracer: Tracer, propagator: TextMapPropagator): TracedFetch {
  return async function tracedFetch(input, init) {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : input.toString());
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const parent = context.active();
    const span = tracer.startSpan(method, { kind: SpanKind.CLIENT }, parent);
    if (span.isRecording()) {
      url.username = '';
      url.password = '';
      span.setAttribute(ATTR_HTTP_REQUEST_METHOD, method);
      span.setAttribute(ATTR_URL_FULL, url.href);
      span.setAttribute(ATTR_SERVER_ADDRESS, url.hostname);
      span.setAttribute(ATTR_SERVER_PORT, url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);
    }
    const ctx = trace.setSpan(parent, span);
    const headers = new Headers(init?.headers ?? request?.headers);
    propagator.inject(ctx, headers, { set: (carrier, key, value) => carrier.set(key, value) });
    try {
      const response = await context.with(suppressTracing(ctx), () => fetch(input, { ...init, headers }));
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
      // For a client, a 4xx is a failed call too (semantic conventions).
      if (response.status >= 400) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType(undefined, response.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return response;
    } catch (e) {
      const safe = recordSafeException(span, e);
      span.setAttribute(ATTR_ERROR_TYPE, safe.type); // errorType(e), as on every signal
      span.setStatus({ code: SpanStatusCode.ERROR, message: safe.message });
      throw e;
    } finally {
      span.end();
    }
  };
}
