import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import {
  context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type Span,
  type TextMapPropagator,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { UNMATCHED_ROUTE, type FinishedRequest } from '../requestLifecycle';
import { requestErrorType } from '../errorType';
import { recordSafeException } from './recordSafeException';

/** The server span of one request and the context it is active in. */
export interface ServerSpanHandle {
  readonly span: Span;
  readonly context: Context;
  /** Ids of the span when it is sampled, else undefined. */
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  /** The span belongs to OTel's http instrumentation (full mode): annotated here, ended there. */
  readonly adopted: boolean;
}

/** Starts and ends the one server span per request of the lean path. */
export interface ServerSpans {
  start(req: IncomingMessage, method: string, path: string): ServerSpanHandle | undefined;
  end(handle: ServerSpanHandle, request: FinishedRequest): void;
}

// Semantic conventions: methods outside this set are recorded as `_OTHER`, so an attacker's
// invented methods cannot create unbounded span names.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

/**
 * The lean path: one SERVER span per request with the semantic-convention attributes,
 * parented on the W3C `traceparent`/`tracestate` and `baggage` of the request (through
 * OTel's propagators, which ignore malformed values, so the request starts a new trace).
 * Attributes are set only on sampled spans; the name gets the route template at the end,
 * when Express has matched it. With `adoptActive` (full auto-instrumentation) the span the
 * http instrumentation started is used instead of a second one.
 */
export function createServerSpans(tracer: Tracer, propagator: TextMapPropagator, skipPrefix: string | undefined, adoptActive: boolean): ServerSpans {
  return {
    start(req, method, path) {
      if (skipPrefix !== undefined && path.startsWith(skipPrefix)) return undefined;
      if (adoptActive) {
        const active = trace.getSpan(context.active());
        if (active) return handleOf(active, context.active(), true);
      }
      const headers = req.headers;
      const parent =
        headers.traceparent === undefined && headers.baggage === undefined
          ? ROOT_CONTEXT
          : propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
      const known = KNOWN_METHODS.has(method);
      const span = tracer.startSpan(known ? method : 'HTTP', { kind: SpanKind.SERVER }, parent);
      if (span.isRecording()) {
        span.setAttribute(ATTR_HTTP_REQUEST_METHOD, known ? method : '_OTHER');
        if (!known) span.setAttribute(ATTR_HTTP_REQUEST_METHOD_ORIGINAL, method);
        span.setAttribute(ATTR_URL_PATH, path);
        span.setAttribute(ATTR_URL_SCHEME, (req.socket as TLSSocket).encrypted ? 'https' : 'http');
        setHost(span, headers.host);
        if (headers['user-agent'] !== undefined) span.setAttribute(ATTR_USER_AGENT_ORIGINAL, headers['user-agent']);
        if (req.socket.remoteAddress !== undefined) span.setAttribute(ATTR_CLIENT_ADDRESS, req.socket.remoteAddress);
        span.setAttribute(ATTR_NETWORK_PROTOCOL_VERSION, req.httpVersion);
      }
      return handleOf(span, trace.setSpan(parent, span), false);
    },

    end(handle, r) {
      const span = handle.span;
      if (!span.isRecording()) return;
      if (!r.aborted) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, r.statusCode);
      if (r.route !== UNMATCHED_ROUTE) {
        span.setAttribute(ATTR_HTTP_ROUTE, r.route);
        if (!handle.adopted) span.updateName(`${KNOWN_METHODS.has(r.method) ? r.method : 'HTTP'} ${r.route}`);
      }
      // The one classification of lib/errorType.ts, so the metric label and the access log agree.
      const type = requestErrorType(r);
      if (type !== undefined) span.setAttribute(ATTR_ERROR_TYPE, type);
      if (r.error !== undefined) {
        const safe = recordSafeException(span, r.error);
        if (type !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: safe.message });
      } else if (type !== undefined) {
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      if (!handle.adopted) span.end();
    },
  };
}

function handleOf(span: Span, ctx: Context, adopted: boolean): ServerSpanHandle {
  const sc = span.spanContext();
  const sampled = (sc.traceFlags & TraceFlags.SAMPLED) !== 0;
  return { span, context: ctx, traceId: sampled ? sc.traceId : undefined, spanId: sampled ? sc.spanId : undefined, adopted };
}

/** `server.address` and `server.port` from the Host header (`name`, `name:port`, `[v6]:port`). */
function setHost(span: Span, host: string | undefined): void {
  if (!host) return;
  const colon = host.lastIndexOf(':');
  if (colon === -1 || host.indexOf(']', colon) !== -1) {
    span.setAttribute(ATTR_SERVER_ADDRESS, host);
    return;
  }
  span.setAttribute(ATTR_SERVER_ADDRESS, host.charCodeAt(0) === 91 /* [ */ ? host.slice(1, colon - 1) : host.slice(0, colon));
  const port = Number(host.slice(colon + 1));
  if (Number.isInteger(port) && port > 0 && port < 65536) span.setAttribute(ATTR_SERVER_PORT, port);
}
