import { ServerResponse, type IncomingMessage } from 'node:http';

/** Body bytes of one request and its response, counted so far. */
export interface BodyCounts {
  request: number;
  response: number;
}

const tracked = new WeakMap<ServerResponse, BodyCounts>();

/** The wrappers in place and what they replaced (own descriptors; undefined: inherited). */
interface Patch {
  readonly write: ServerResponse['write'];
  readonly end: ServerResponse['end'];
  readonly replaced: { readonly write?: PropertyDescriptor; readonly end?: PropertyDescriptor };
}

let patch: Patch | undefined;
let holders = 0;

/**
 * Holds the response-byte counting for one instance: the first holder installs the wrappers on
 * `ServerResponse.prototype`, and the returned release (idempotent) removes them when the last
 * holder lets go, so a process whose instances have all shut down runs Node's own methods again.
 */
export function holdBodyCounting(): () => void {
  if (holders++ === 0) install();
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--holders === 0) uninstall();
  };
}

/*
 * Response bytes are counted by one wrapper on `ServerResponse.prototype.write/end`,
 * installed once, rather than by assigning `res.write`/`res.end` per request: Express swaps
 * the response's prototype, and V8 then makes each new own property a slow map transition
 * (measured in bench/). Responses not tracked pay one WeakMap miss per write.
 */
function install(): void {
  // Still in place: a wrapper added over ours kept it from being removed (see uninstall).
  if (patch !== undefined) return;
  const proto = ServerResponse.prototype;
  const replaced = {
    write: Object.getOwnPropertyDescriptor(proto, 'write'),
    end: Object.getOwnPropertyDescriptor(proto, 'end'),
  };
  const write = proto.write;
  const end = proto.end;
  const countedWrite = function countedWrite(this: ServerResponse, chunk: any, encoding?: unknown): boolean {
    const counts = tracked.get(this);
    if (counts !== undefined) counts.response += byteLength(chunk, encoding);
    // eslint-disable-next-line prefer-rest-params -- the caller's exact arguments, no array per call
    return (write as (...a: any[]) => boolean).apply(this, arguments as unknown as any[]);
  } as ServerResponse['write'];
  const countedEnd = function countedEnd(this: ServerResponse, chunk?: any, encoding?: unknown): ServerResponse {
    const counts = tracked.get(this);
    if (counts !== undefined && chunk !== undefined && typeof chunk !== 'function') counts.response += byteLength(chunk, encoding);
    // eslint-disable-next-line prefer-rest-params -- see above
    return (end as (...a: any[]) => ServerResponse).apply(this, arguments as unknown as any[]);
  } as ServerResponse['end'];
  proto.write = countedWrite;
  proto.end = countedEnd;
  patch = { write: countedWrite, end: countedEnd, replaced };
}

function uninstall(): void {
  const proto = ServerResponse.prototype;
  // Someone wrapped ours since (another copy of this library, an APM agent): taking ours out
  // would drop theirs too, so ours stays as a pass-through and is reused by the next holder.
  if (patch === undefined || proto.write !== patch.write || proto.end !== patch.end) return;
  restore(proto, 'write', patch.replaced.write);
  restore(proto, 'end', patch.replaced.end);
  patch = undefined;
}

function restore(proto: object, key: 'write' | 'end', replaced: PropertyDescriptor | undefined): void {
  // Node defines write/end on OutgoingMessage.prototype: deleting ours lets them show through again.
  if (replaced === undefined) delete (proto as Record<string, unknown>)[key];
  else Object.defineProperty(proto, key, replaced);
}

/**
 * Starts counting body bytes of `req` and `res` as they pass, instead of trusting Content-Length.
 * Response bytes are seen while some instance holds the counting ({@link holdBodyCounting}).
 */
export function countBodies(req: IncomingMessage, res: ServerResponse): BodyCounts {
  const counts: BodyCounts = { request: 0, response: 0 };
  tracked.set(res, counts);
  // Only a request that has a body gets the wrapper on `push` (the parser feeds the body through it).
  if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
    const push = req.push;
    req.push = function countedPush(this: IncomingMessage, chunk: any, encoding?: BufferEncoding): boolean {
      if (chunk) counts.request += typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding) : chunk.length;
      return push.call(this, chunk, encoding);
    };
  }
  return counts;
}

function byteLength(chunk: unknown, encoding: unknown): number {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return 0;
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return (chunk as Uint8Array).byteLength ?? 0;
}
