import { IncomingMessage, ServerResponse } from 'node:http';
import { createKeyMatcher, type RedactKey } from './redactKeys';
import { isErrorLike } from '../errorType';
import { describeThrow as describe, isRawBodyKey, safeError, safeRead } from '../safeError';
import { redactQuery } from './redactQuery';
import { setField } from './setField';

/** Limits and redaction rules of a {@link Sanitizer}. */
export interface SanitizerOptions {
  readonly redactKeys: readonly RedactKey[];
  readonly redactMarker: string;
  readonly maxStringLength: number;
  readonly maxDepth: number;
}

const MAX_KEYS = 200;
const MAX_ITEMS = 100;
// Total values visited per call: logging a socket or a client object must stay cheap.
const MAX_NODES = 4000;
const RAW_HEADERS = new Set(['rawHeaders', 'rawTrailers']);
const ERROR_SKIP = new Set(['name', 'message', 'stack', 'cause']);

/**
 * Turns any value into plain JSON-safe data that can always be stringified: redacts
 * sensitive keys at any depth, serializes Errors (type, message, stacktrace, cause chain,
 * own properties), cuts long strings, marks cycles, and survives BigInt, Symbols,
 * throwing getters, proxies and `toJSON` that throws. Never throws itself.
 */
export class Sanitizer {
  /** Tells whether a field name is redacted. */
  readonly isSensitiveKey: (key: string) => boolean;
  readonly marker: string;
  private readonly maxString: number;
  private readonly maxDepth: number;
  private readonly seen = new Set<object>();
  private nodes = 0;

  constructor(options: SanitizerOptions) {
    this.isSensitiveKey = createKeyMatcher(options.redactKeys);
    this.marker = options.redactMarker;
    this.maxString = options.maxStringLength;
    this.maxDepth = options.maxDepth;
  }

  /** A JSON-safe, redacted copy of `value`. */
  value(value: unknown): unknown {
    this.nodes = 0;
    this.seen.clear();
    return this.walk(value, 0);
  }

  /**
   * Copies the own enumerable fields of `source` into `target`, sanitized and redacted,
   * except those `skip` names. A field whose getter throws becomes a marker; a source
   * whose keys cannot be listed (a revoked proxy) adds one `fields` marker.
   */
  copyFields(source: object, target: Record<string | symbol, unknown>, skip: (key: string) => boolean): void {
    let keys: string[];
    try {
      keys = Object.keys(source);
    } catch (e) {
      target.fields = `[Unserializable: ${this.truncate(describe(e))}]`;
      return;
    }
    for (const key of keys) {
      if (skip(key)) continue;
      this.nodes = 0;
      this.seen.clear();
      const v = this.field(source, key, -1);
      if (v !== undefined) setField(target, key, v);
    }
  }

  /** Cuts a string longer than the limit and says how much was cut. */
  truncate(s: string): string {
    return s.length <= this.maxString
      ? s
      : `${s.slice(0, this.maxString)}...[truncated ${s.length - this.maxString} chars]`;
  }

  private walk(v: unknown, depth: number): unknown {
    switch (typeof v) {
      case 'string':
        return v.length <= this.maxString ? v : this.truncate(v);
      case 'number':
        return Number.isFinite(v) ? v : String(v);
      case 'boolean':
        return v;
      case 'undefined':
        return undefined;
      case 'bigint':
      case 'symbol':
        return v.toString();
      case 'function':
        return `[Function: ${v.name || 'anonymous'}]`;
    }
    if (v === null) return null;
    const o = v as object;
    if (this.seen.has(o)) return '[Circular]';
    if (++this.nodes > MAX_NODES) return '[Truncated]';
    this.seen.add(o);
    try {
      return this.object(o, depth);
    } catch (e) {
      return `[Unserializable: ${this.truncate(describe(e))}]`;
    } finally {
      this.seen.delete(o);
    }
  }

  private object(o: object, depth: number): unknown {
    if (isErrorLike(o)) return this.error(o as Error, depth);
    if (depth >= this.maxDepth) return Array.isArray(o) ? '[Array]' : '[Object]';
    if (Array.isArray(o)) return this.array(o, depth);
    if (o instanceof Date) return Number.isNaN(o.getTime()) ? 'Invalid Date' : o.toISOString();
    if (ArrayBuffer.isView(o)) return `[${o.constructor.name}: ${o.byteLength} bytes]`;
    if (o instanceof Map) return this.entries(o, depth);
    if (o instanceof Set) return this.array(Array.from(o), depth);
    if (o instanceof IncomingMessage) return this.request(o, depth);
    if (o instanceof ServerResponse)
      return { statusCode: o.statusCode, headers: this.entries(Object.entries(o.getHeaders()), depth) };
    if (o instanceof Promise) return '[Promise]';
    const toJSON = (o as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const j: unknown = toJSON.call(o);
      if (j !== o) return this.walk(j, depth);
    }
    return this.plain(o, depth);
  }

  /** Copies own enumerable fields; one throwing getter spoils one field, not the line. */
  private plain(o: object, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(o);
    const n = Math.min(keys.length, MAX_KEYS);
    for (let i = 0; i < n; i++) {
      setField(out, keys[i], this.field(o, keys[i], depth));
    }
    if (keys.length > n) out['...'] = `[${keys.length - n} more keys]`;
    return out;
  }

  /** Copies key/value pairs (Map entries, headers). */
  private entries(it: Iterable<[unknown, unknown]>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let n = 0;
    for (const [k, v] of it) {
      if (n++ >= MAX_KEYS) {
        out['...'] = '[more keys]';
        break;
      }
      const key = typeof k === 'string' ? k : String(this.walk(k, this.maxDepth));
      setField(out, key, this.isSensitiveKey(key) ? this.marker : this.walk(v, depth + 1));
    }
    return out;
  }

  /** The value of `source[key]` as written: redacted, raw headers filtered, or a safe copy. */
  private field(source: object, key: string, depth: number): unknown {
    if (this.isSensitiveKey(key)) return this.marker;
    return RAW_HEADERS.has(key) ? this.rawHeaders(source, key, depth) : this.read(source, key, depth);
  }

  private read(source: object, key: string, depth: number): unknown {
    let v: unknown;
    try {
      v = (source as Record<string, unknown>)[key];
    } catch (e) {
      return `[Threw: ${this.truncate(describe(e))}]`;
    }
    return this.walk(v, depth + 1);
  }

  /** `rawHeaders` alternate names and values: a value after a sensitive name is redacted. */
  private rawHeaders(o: object, key: string, depth: number): unknown {
    const a = this.read(o, key, depth);
    if (!Array.isArray(a)) return a;
    for (let i = 0; i + 1 < a.length; i += 2)
      if (typeof a[i] === 'string' && this.isSensitiveKey(a[i])) a[i + 1] = this.marker;
    return a;
  }

  private array(a: readonly unknown[], depth: number): unknown[] {
    const n = Math.min(a.length, MAX_ITEMS);
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const item = this.walk(a[i], depth + 1);
      out[i] = item === undefined ? null : item;
    }
    if (a.length > n) out.push(`[${a.length - n} more items]`);
    return out;
  }

  /**
   * An error as {@link safeError} describes it (message and stack header without quoted
   * input), its cause chain and own fields; a field named like a raw request body
   * (`body`, `rawBody`, ...) is redacted whatever the redact keys say.
   */
  private error(e: Error, depth: number): Record<string, unknown> {
    const safe = safeError(e);
    const out: Record<string, unknown> = {
      type: safe.type,
      message: this.truncate(safe.message),
      stacktrace: safe.stack === undefined ? undefined : this.truncate(safe.stack),
    };
    if (depth >= this.maxDepth) return out;
    if ('cause' in e) out.cause = this.walk(safeRead(e, 'cause'), depth + 1);
    const errors = safeRead(e, 'errors');
    if (Array.isArray(errors)) out.errors = this.array(errors, depth);
    for (const key of Object.keys(e)) {
      if (ERROR_SKIP.has(key) || Object.hasOwn(out, key)) continue;
      setField(
        out,
        key,
        this.isSensitiveKey(key) || isRawBodyKey(key) ? this.marker : this.read(e, key, depth),
      );
    }
    return out;
  }

  /** A request as method, url (sensitive query values redacted) and redacted headers, never its socket. */
  private request(req: IncomingMessage, depth: number): Record<string, unknown> {
    const url =
      typeof req.url === 'string'
        ? this.truncate(redactQuery(req.url, this.isSensitiveKey, this.marker))
        : undefined;
    return { method: req.method, url, headers: this.entries(Object.entries(req.headers), depth) };
  }
}
