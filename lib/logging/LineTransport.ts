import TransportStream from 'winston-transport';
import { ObservabilityConfigError } from '../configError';
import { NonBlockingWriter } from './NonBlockingWriter';

/** Options of {@link LineTransport}; winston's own transport options (`level`, `format`, `silent`) apply too. */
export interface LineTransportOptions extends TransportStream.TransportStreamOptions {
  /**
   * Where lines go: a file descriptor, or a file path (appended to, its directory created).
   * Default: 1 (stdout).
   */
  readonly destination?: number | string;
  /**
   * Lines pending past this many characters are written at once instead of at the end of
   * the event-loop turn. Default: 65536.
   */
  readonly flushAtLength?: number;
  /**
   * Characters held for a destination that does not take them as fast as they come (a slow
   * or stuck log reader); lines past this are dropped, counted in `dropped` and reported
   * once. Default: 16 MiB.
   */
  readonly maxPendingLength?: number;
  /**
   * How long the flush at process exit may wait for a full destination, in milliseconds;
   * lines it still holds then are lost. Default: 1000.
   */
  readonly exitFlushTimeoutMs?: number;
}

// winston's finished line (triple-beam's symbol, registered globally by name).
const MESSAGE = Symbol.for('message');

// Transports holding lines, written out by one `exit` listener however many there are: a line
// logged just before `process.exit()` or an uncaught exception still reaches the output.
const open = new Set<LineTransport>();
let exitHookInstalled = false;

function flushAllOnExit(): void {
  const start = Date.now();
  for (const t of open) t.flushSync(start);
}

/**
 * A winston transport that writes finished lines (`info[MESSAGE]`) to a file descriptor or
 * file, one write per event-loop turn: lines logged in the same turn are joined and written
 * with one `write` when the turn ends. Compared with a write per line (winston's Console and
 * Stream transports), a busy server makes far fewer system calls and no stream work per line.
 *
 * The output never holds the event loop up: stdout or stderr on a pipe or socket is
 * non-blocking (as Node makes it for `process.stdout`), so a slow or stuck reader leaves
 * lines waiting here, in order, up to `maxPendingLength`; past it they are dropped and
 * counted. Lines still pending are written on `close()`, when the logger ends, and at process
 * exit (waiting at most `exitFlushTimeoutMs` for a full pipe); only a process killed outright
 * (SIGKILL) loses the lines of its last turn. Other descriptors are written as they are.
 */
export class LineTransport extends TransportStream {
  /** Lines dropped: past `maxPendingLength`, refused by the destination, or logged after `close()`. */
  dropped = 0;
  private reopenFailures = 0;
  private pending = '';
  private scheduled = false;
  private shut = false;
  private dropReported = false;
  private readonly flushAtLength: number;
  private readonly maxLength: number;
  private readonly exitFlushMs: number;
  private readonly path: string | undefined;
  // `_stream`: the name guardLogger looks for to report the destination's write errors.
  private readonly _stream: NonBlockingWriter;
  private readonly flushTurn = (): void => {
    this.scheduled = false;
    this.flush();
  };

  constructor(options: LineTransportOptions = {}) {
    super(options);
    const destination = options.destination ?? 1;
    if (!(typeof destination === 'string' ? destination.length > 0 : Number.isInteger(destination) && destination >= 0)) {
      throw new ObservabilityConfigError('LineTransport destination', destination, 'a file descriptor such as 1 (stdout) or 2 (stderr), or a file path');
    }
    this.flushAtLength = whole('flushAtLength', options.flushAtLength, 65536, 1, 'characters');
    this.maxLength = whole('maxPendingLength', options.maxPendingLength, 16 * 1024 * 1024, 1, 'characters');
    this.exitFlushMs = whole('exitFlushTimeoutMs', options.exitFlushTimeoutMs, 1000, 0, 'milliseconds');
    const counted = (lines: number): void => {
      this.dropped += lines;
    };
    if (typeof destination === 'string') {
      this.path = destination;
      try {
        this._stream = NonBlockingWriter.openFile(destination, counted);
      } catch (e) {
        const reason = typeof (e as { message?: unknown } | null)?.message === 'string' ? (e as Error).message : String(e);
        throw new ObservabilityConfigError('LineTransport destination', destination, `a file that can be opened for appending (${reason})`);
      }
    } else {
      this._stream = NonBlockingWriter.forDescriptor(destination, counted);
    }
    // Reported by the logger's guard; without a listener an `error` event would throw.
    this._stream.on('error', () => undefined);
    open.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', flushAllOnExit);
    }
  }

  /** Bytes written to the destination so far. */
  get bytesWritten(): number {
    return this._stream.bytesWritten;
  }

  /**
   * Failed writes to the destination (and reopens). Each is also emitted as `error` by the
   * destination stream, which an instance's logger reports through its `onError` (once per transport).
   */
  get writeErrors(): number {
    return this._stream.failures + this.reopenFailures;
  }

  override log(info: Record<string | symbol, unknown>, callback?: () => void): void {
    const message = info[MESSAGE];
    if (this.shut) {
      this.dropped++;
    } else {
      const line = (typeof message === 'string' ? message : String(message)) + '\n';
      if (this.pending.length + line.length + this._stream.length > this.maxLength) this.drop();
      else {
        this.pending += line;
        if (this.pending.length >= this.flushAtLength) this.flush();
        else if (!this.scheduled) {
          this.scheduled = true;
          setImmediate(this.flushTurn);
        }
      }
    }
    if (callback) callback();
  }

  /** Writes the pending lines now, as far as the destination takes them without waiting. */
  flush(): void {
    if (this.pending.length === 0) return;
    const data = this.pending;
    this.pending = '';
    this._stream.write(data);
  }

  /**
   * Writes everything held, synchronously, waiting for a full destination until `start` plus
   * `exitFlushTimeoutMs`: what the process does at exit.
   */
  flushSync(start = Date.now()): void {
    this.flush();
    this._stream.writeUntil(start + this.exitFlushMs);
  }

  /**
   * Writes the pending lines, then opens the destination file again by its path: after log
   * rotation has moved the file away (`logrotate` without `copytruncate`, then a signal to the
   * process), lines go to the new file. Does nothing for a file descriptor destination.
   */
  reopen(): void {
    if (this.shut || this.path === undefined) return;
    this.flush();
    try {
      this._stream.reopen(this.path);
    } catch (e) {
      this.reopenFailures++;
      this._stream.emit('error', e);
    }
  }

  /**
   * Writes the pending lines; once the destination has taken them, closes it when it is a
   * file this transport opened.
   */
  override close(): void {
    if (this.shut) return;
    this.flush();
    this.shut = true;
    const done = (): void => {
      open.delete(this);
      if (this.path !== undefined) this._stream.close();
    };
    if (this._stream.length === 0) done();
    else this._stream.once('drain', done);
  }

  // The logger ended (`logger.end()`, the instance's shutdown): write what is pending, close
  // an owned file and leave the exit hook's list, so instances that come and go do not pile up.
  // The logging pillar's shutdown bounds the wait for a slow destination.
  override _final(callback: (error?: Error | null) => void): void {
    this.close();
    if (this._stream.length === 0) callback();
    else this._stream.once('drain', () => callback());
  }

  private drop(): void {
    this.dropped++;
    if (this.dropReported) return;
    this.dropReported = true;
    const error = new Error(
      `log output: lines dropped, the destination takes them slower than they come (${this.maxLength} characters waiting, maxPendingLength); further drops are counted, not reported`,
    );
    this._stream.emit('error', error);
  }
}

function whole(name: string, value: number | undefined, fallback: number, min: number, unit: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new ObservabilityConfigError(`LineTransport ${name}`, value, `a ${min > 0 ? 'positive' : 'non-negative'} whole number of ${unit}`);
  }
  return value;
}
