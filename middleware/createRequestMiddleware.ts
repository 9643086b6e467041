import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { runWithRequestContext, type RequestContext } from '../lib/context';
import type { ObservabilityCore } from '../lib/createObservability';
import { UNMATCHED_ROUTE, type FinishedRequest } from '../lib/requestLifecycle';
import type { ServerSpanHandle } from '../lib/tracing/createTracing';
import { pickRequestId } from './requestId';
import { followRoute } from './routeTemplate';

const kContext = Symbol.for('express-observability.context');

/** The context the request middleware attached to `req`, if any. */
export function contextOf(req: IncomingMessage): RequestContext | undefined {
  return (req as unknown as Record<symbol, RequestContext | undefined>)[kContext];
}

/**
 * The one request middleware: request id and context, server span, RED metrics and
 * the access log, all recorded once when the response finishes or the client leaves.
 * Paths of the library's own routes are given an id and context but not recorded.
 */
export function createRequestMiddleware(obs: ObservabilityCore, excludedPaths: ReadonlySet<string>): RequestHandler {
  const { requestIdHeader, requestIdMaxLength } = obs.config;
  const { metrics, tracing, logging, errors } = obs;

  return function observabilityMiddleware(req: Request, res: Response, next: NextFunction): void {
    const url = req.url;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const context: RequestContext = {
      requestId: pickRequestId(req.headers[requestIdHeader], requestIdMaxLength),
      method: req.method,
      path,
      route: undefined,
      startTime: performance.now(),
    };
    (req as unknown as Record<symbol, RequestContext>)[kContext] = context;
    res.setHeader(requestIdHeader, context.requestId);
    if (obs.state.shuttingDown) res.setHeader('Connection', 'close');
    if (excludedPaths.has(path)) {
      runWithRequestContext(context, next);
      return;
    }

    trackRoute(req, context);
    const bodies = countBodies(req, res);
    let handle: ServerSpanHandle | undefined;
    try {
      metrics?.requestStarted();
      handle = tracing.startServerSpan(req, context.method, path);
    } catch (e) {
      errors.report('middleware', e);
    }

    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      res.removeListener('finish', record);
      res.removeListener('close', record);
      try {
        const aborted = !res.writableFinished;
        const finished: FinishedRequest = {
          method: context.method,
          route: context.route ?? UNMATCHED_ROUTE,
          path,
          statusCode: aborted ? 499 : res.statusCode,
          aborted,
          durationSeconds: (performance.now() - context.startTime) / 1000,
          requestBytes: bodies.request(),
          responseBytes: bodies.response(),
          error: context.error,
          requestId: context.requestId,
          traceId: handle?.traceId,
          spanId: handle?.spanId,
          req,
        };
        metrics?.requestFinished(finished);
        if (handle) tracing.endServerSpan(handle, finished);
        logging.accessLog(finished);
      } catch (e) {
        errors.report('middleware', e);
      }
    };
    res.once('finish', record);
    res.once('close', record);

    if (handle) {
      const h = handle;
      tracing.runInContext(h, () => runWithRequestContext(context, next));
    } else {
      runWithRequestContext(context, next);
    }
  };
}

/**
 * The route template with the templates of every mount path (`/users/:userId/posts/:postId`),
 * followed through `req.baseUrl` and `req.route` as Express sets them (see routeTemplate.ts).
 */
function trackRoute(req: Request, context: RequestContext): void {
  followRoute(req, context);
}

/** Counts body bytes as they pass, instead of trusting Content-Length. */
function countBodies(req: IncomingMessage, res: ServerResponse): { request(): number; response(): number } {
  let requestBytes = 0;
  let responseBytes = 0;
  if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
    const push = req.push;
    req.push = function countedPush(this: IncomingMessage, chunk: any, encoding?: BufferEncoding): boolean {
      if (chunk) requestBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding) : chunk.length;
      return push.call(this, chunk, encoding);
    };
  }
  const write = res.write;
  const end = res.end;
  res.write = function countedWrite(this: ServerResponse, chunk: any, ...rest: any[]): boolean {
    responseBytes += byteLength(chunk, rest[0]);
    return (write as (...a: any[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function countedEnd(this: ServerResponse, chunk?: any, ...rest: any[]): ServerResponse {
    if (chunk !== undefined && typeof chunk !== 'function') responseBytes += byteLength(chunk, rest[0]);
    return (end as (...a: any[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
  return { request: () => requestBytes, response: () => responseBytes };
}

function byteLength(chunk: unknown, encoding: unknown): number {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return 0;
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return (chunk as Uint8Array).byteLength ?? 0;
}
