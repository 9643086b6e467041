import { EventEmitter } from 'node:events';
import { context, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createSharedContextManager, getRequestContext, runWithRequestContext, type RequestContext } from '../../lib/context';

const tracer = new BasicTracerProvider().getTracer('context-spec');

function request(requestId: string): RequestContext {
  return { requestId, method: 'GET', path: '/x', startTime: performance.now() };
}

/** What is visible inside `fn` after an await, a timer and an event emitted later. */
async function seenInside(rc: RequestContext, traceContext: Context | undefined): Promise<Array<[string | undefined, string | undefined]>> {
  const seen: Array<[string | undefined, string | undefined]> = [];
  const look = (): void => void seen.push([getRequestContext()?.requestId, trace.getSpan(context.active())?.spanContext().spanId]);
  const emitter = new EventEmitter();
  await runWithRequestContext(
    rc,
    async () => {
      look();
      await new Promise((r) => setTimeout(r, 1));
      look();
      // A child span made the OTel way keeps the request: it is derived from the active context.
      const child = tracer.startSpan('child');
      context.with(trace.setSpan(context.active(), child), look);
      child.end();
      context.bind(context.active(), emitter);
    },
    traceContext,
  );
  // The emitter was bound inside the request: its listener runs in that context, even from outside.
  emitter.on('ping', look);
  emitter.emit('ping');
  return seen;
}

afterEach(() => context.disable());

describe('request context store', () => {
  it('is visible across awaits inside the run and gone outside it, with no OpenTelemetry context manager', async () => {
    const seen = await seenInside(request('r-1'), undefined);
    expect(seen.map(([id]) => id)).toEqual(['r-1', 'r-1', 'r-1', undefined]);
    expect(getRequestContext()).toBeUndefined();
  });

  it.each([
    // Only the shared manager's `context.bind` carries the request too: it binds the one store.
    ['the shared context manager', () => createSharedContextManager(), 'r-2'],
    ["OpenTelemetry's own AsyncLocalStorage manager", () => new AsyncLocalStorageContextManager(), undefined],
  ])('carries the request and the server span together under %s', async (_name, make, boundRequest) => {
    const manager = make();
    expect(context.setGlobalContextManager(manager.enable())).toBe(true);
    const server = tracer.startSpan('server');
    const serverId = server.spanContext().spanId;
    const seen = await seenInside(request('r-2'), trace.setSpan(ROOT_CONTEXT, server));
    expect(seen[0]).toEqual(['r-2', serverId]);
    expect(seen[1]).toEqual(['r-2', serverId]);
    expect(seen[2]![0]).toBe('r-2');
    expect(seen[2]![1]).not.toBe(serverId);
    expect(seen[3]).toEqual([boundRequest, serverId]);
    expect(getRequestContext()).toBeUndefined();
    expect(trace.getSpan(context.active())).toBeUndefined();
  });

  it('keeps concurrent requests apart', async () => {
    context.setGlobalContextManager(createSharedContextManager().enable());
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        runWithRequestContext(
          request(`r-${i}`),
          async () => {
            await new Promise((r) => setTimeout(r, 50 - i));
            await Promise.resolve();
            return getRequestContext()?.requestId;
          },
          trace.setSpan(ROOT_CONTEXT, tracer.startSpan(`s${i}`)),
        ),
      ),
    );
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => `r-${i}`));
  });

  it('falls back to two stores when the shared manager is disabled, and the request context survives', async () => {
    const shared = createSharedContextManager();
    context.setGlobalContextManager(shared.enable());
    context.disable();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const server = tracer.startSpan('server');
    const seen = await seenInside(request('r-3'), trace.setSpan(ROOT_CONTEXT, server));
    expect(seen[0]).toEqual(['r-3', server.spanContext().spanId]);
  });
});
