import TransportStream from 'winston-transport';
import { BoundedRing } from './BoundedRing';

const MESSAGE = Symbol.for('message');

/** A log record as the console shows it: the fields of the written line, redacted as written. */
export type LogRecord = Readonly<Record<string, unknown>>;

type Held = string | Record<string | symbol, unknown>;

/**
 * A winston transport that keeps the newest records the logger wrote, after the library's
 * format has built, redacted and bounded them: the console's logs. Keeping one costs a ring
 * store and nothing is copied or rendered: a JSON line is kept as the finished line the other
 * outputs got (one flat string for the garbage collector to move, not an object of fields) and
 * parsed only when read; another line keeps its record. Its size is the length of its line.
 */
export class LogRing extends TransportStream {
  private readonly ring: BoundedRing<Held>;
  /** Called with each record kept (the console's errors ring looks for method errors). */
  onRecord: ((record: LogRecord) => void) | undefined;

  /**
   * `writtenLevel` gives the most verbose level some other output of the logger writes: the ring
   * keeps what is written, no more, so a `debug` line nobody writes is not built for it either.
   */
  constructor(records: number, bytes: number, writtenLevel: () => string | undefined) {
    super();
    Object.defineProperty(this, 'level', { get: writtenLevel, set: () => undefined, configurable: true });
    this.ring = new BoundedRing<Held>(records, bytes, (r) => {
      const line = typeof r === 'string' ? r : r[MESSAGE];
      return typeof line === 'string' ? line.length : 256;
    });
  }

  /** Records held and the characters of their lines. */
  get held(): { readonly records: number; readonly bytes: number } {
    return { records: this.ring.length, bytes: this.ring.bytes };
  }

  override log(info: Record<string | symbol, unknown>, callback?: () => void): void {
    const line = info[MESSAGE];
    this.ring.push(typeof line === 'string' && line.charCodeAt(0) === 123 /* { */ ? line : info);
    if (this.onRecord) this.onRecord(info);
    if (callback) callback();
  }

  /**
   * Newest first, the records `keep` accepts, at most `limit`. `keep` gets each record and its
   * finished line (for a text search), `match` (optional) is a cheap test of the line alone.
   */
  records(limit: number, keep?: (record: LogRecord, line: string) => boolean): LogRecord[] {
    const out: LogRecord[] = [];
    this.ring.newest(Infinity, (held) => {
      if (out.length >= limit) return false;
      const record = typeof held === 'string' ? parse(held) : held;
      if (record === undefined) return false;
      const line =
        typeof held === 'string'
          ? held
          : typeof held[MESSAGE] === 'string'
            ? (held[MESSAGE] as string)
            : JSON.stringify(held);
      if (keep === undefined || keep(record, line)) out.push(record);
      return false;
    });
    return out;
  }
}

function parse(line: string): LogRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as LogRecord) : undefined;
  } catch {
    return undefined;
  }
}
