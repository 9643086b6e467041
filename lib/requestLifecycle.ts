import type { IncomingMessage } from 'node:http';
import type { ServerSpanHandle } from './tracing/createServerSpans';

/** Route label for requests that matched no route, whatever their path. */
export const UNMATCHED_ROUTE = 'UNMATCHED';

/** One served (or aborted) request, as every pillar records it. Built once per request. */
export interface FinishedRequest {
  readonly method: string;
  /** Route template with mount paths (`/api/users/:id`), or {@link UNMATCHED_ROUTE}. */
  readonly route: string;
  /** Path without the query string. */
  readonly path: string;
  /** Status sent, or 499 when the client went away first. */
  readonly statusCode: number;
  /** True when the client closed the connection before the response finished. */
  readonly aborted: boolean;
  readonly durationSeconds: number;
  /** Request body bytes read by the app. */
  readonly requestBytes: number;
  /** Response body bytes written by the app. */
  readonly responseBytes: number;
  /** The error passed to the error handler, if any. */
  readonly error: unknown;
  readonly requestId: string;
  /** Trace and span id of the server span when the request was sampled (exemplars, access log). */
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  /** The request's server span, ended by the tracing pillar; undefined when not traced. */
  readonly serverSpan: ServerSpanHandle | undefined;
  readonly req: IncomingMessage;
}
