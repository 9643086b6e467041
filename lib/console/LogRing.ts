import TransportStream from 'winston-transport';
import { BoundedRing } from './BoundedRing';

const MESSAGE = Symbol.for('message');

/** A log record as the console shows it: the fields of the written line, redacted as written. */
export type LogRecord = Readonly<Record<string, unknown>>;

/**
 * A winston transport that keeps the newest records the logger wrote, after the library's
 * format has built, redacted and bounded them: the console's logs. Keeping one costs a ring
 * store; the record is the one the other transports got, so nothing is copied or rendered.
 * Its size is the length of its finished line.
 */
export class LogRing extends TransportStream {
  private readonly ring: BoundedRing<Record<string | symbol, unknown>>;
  /** Called with each record kept (the console's errors ring looks for method errors). */
  onRecord: ((record: LogRecord) => void) | undefined;

  /**
   * `writtenLevel` gives the most verbose level some other output of the logger writes: the ring
   * keeps what is written, no more, so a `debug` line nobody writes is not built for it either.
   */
  constructor(records: number, bytes: number, writtenLevel: () => string | undefined) {
    super();
    Object.defineProperty(this, 'level', { get: writtenLevel, set: () => undefined, configurable: true });
    this.ring = new BoundedRing(records, bytes, (r) => {
      const line = r[MESSAGE];
      return typeof line === 'string' ? line.length : 256;
    });
  }

  /** Records held and the characters of their lines. */
  get held(): { readonly records: number; readonly bytes: number } {
    return { records: this.ring.length, bytes: this.ring.bytes };
  }

  override log(info: Record<string | symbol, unknown>, callback?: () => void): void {
    this.ring.push(info);
    if (this.onRecord) this.onRecord(info);
    if (callback) callback();
  }

  /** Newest first, the records `keep` accepts, at most `limit`. */
  records(limit: number, keep?: (record: LogRecord) => boolean): LogRecord[] {
    return this.ring.newest(limit, keep);
  }
}
