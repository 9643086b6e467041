import type { IncomingMessage } from 'node:http';
import { context, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { ErrorReporter } from '../errorReporter';
import type { FinishedRequest } from '../requestLifecycle';
import type { ResolvedTracingOptions } from './tracingOptions';

/** The server span of one request and the context it is active in. */
export interface ServerSpanHandle {
  readonly span: Span;
  readonly context: Context;
  /** Ids of the span when it is sampled, else undefined. */
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
}

/** The tracing pillar of an instance. */
export interface Tracing {
  readonly tracer: Tracer;
  /** Starts the server span of a request, or returns undefined when tracing is off or not sampled. */
  startServerSpan(req: IncomingMessage, method: string, path: string): ServerSpanHandle | undefined;
  /** Ends the server span with the request's outcome. */
  endServerSpan(handle: ServerSpanHandle, request: FinishedRequest): void;
  /** Runs `fn` with the handle's context active. */
  runInContext<T>(handle: ServerSpanHandle, fn: () => T): T;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Builds the tracing pillar. */
export function createTracing(_options: ResolvedTracingOptions, serviceName: string, _errors: ErrorReporter): Tracing {
  const tracer = trace.getTracer(serviceName);
  return {
    tracer,
    startServerSpan: () => undefined,
    endServerSpan: () => undefined,
    runInContext: (handle, fn) => context.with(handle.context, fn),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
}
