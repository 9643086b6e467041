import { ServerResponse, type IncomingMessage } from 'node:http';

/** Body bytes of one request and its response, counted so far. */
export interface BodyCounts {
  request: number;
  response: number;
}

const tracked = new WeakMap<ServerResponse, BodyCounts>();
let installed = false;

/*
 * Response bytes are counted by one wrapper on `ServerResponse.prototype.write/end`,
 * installed once, rather than by assigning `res.write`/`res.end` per request: Express swaps
 * the response's prototype, and V8 then makes each new own property a slow map transition
 * (measured in bench/). Responses not tracked pay one WeakMap miss per write.
 */
function install(): void {
  if (installed) return;
  installed = true;
  const proto = ServerResponse.prototype;
  const write = proto.write;
  const end = proto.end;
  proto.write = function countedWrite(this: ServerResponse, chunk: any, encoding?: unknown): boolean {
    const counts = tracked.get(this);
    if (counts !== undefined) counts.response += byteLength(chunk, encoding);
    // eslint-disable-next-line prefer-rest-params -- the caller's exact arguments, no array per call
    return (write as (...a: any[]) => boolean).apply(this, arguments as unknown as any[]);
  } as ServerResponse['write'];
  proto.end = function countedEnd(this: ServerResponse, chunk?: any, encoding?: unknown): ServerResponse {
    const counts = tracked.get(this);
    if (counts !== undefined && chunk !== undefined && typeof chunk !== 'function') counts.response += byteLength(chunk, encoding);
    // eslint-disable-next-line prefer-rest-params -- see above
    return (end as (...a: any[]) => ServerResponse).apply(this, arguments as unknown as any[]);
  } as ServerResponse['end'];
}

/** Starts counting body bytes of `req` and `res` as they pass, instead of trusting Content-Length. */
export function countBodies(req: IncomingMessage, res: ServerResponse): BodyCounts {
  install();
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
