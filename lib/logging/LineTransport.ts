import SonicBoom from 'sonic-boom';
import TransportStream from 'winston-transport';
import { ObservabilityConfigError } from '../configError';

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
   * Characters held for a destination that cannot take them (a closed pipe, a full disk);
   * lines past this are dropped and counted in `dropped`. Default: 16 MiB.
   */
  readonly maxPendingLength?: number;
}

// winston's finished line (triple-beam's symbol, registered globally by name).
const MESSAGE = Symbol.for('message');

// Open transports, written out by one `exit` listener however many there are: a line
// logged just before `process.exit()` or an uncaught exception still reaches the output.
const open = new Set<LineTransport>();
let exitHookInstalled = false;

function flushAllOnExit(): void {
  for (const t of open) t.flush();
}

/**
 * A winston transport that writes finished lines (`info[MESSAGE]`) to a file descriptor or
 * file, one write per event-loop turn: lines logged in the same turn are joined and written
 * with one synchronous `write` when the turn ends (through sonic-boom, which retries a busy
 * pipe and finishes partial writes). Compared with a write per line (winston's Console and
 * Stream transports), a busy server makes far fewer system calls and no stream work per
 * line. Lines still pending are written on `close()`, when the logger ends, and when the
 * process exits; only a process killed outright (SIGKILL) loses the lines of its last turn.
 */
export class LineTransport extends TransportStream {
  /** Lines dropped because the destination could not take them (or came after `close()`). */
  dropped = 0;
  /**
   * Failed writes to the destination. Each is also emitted as `error` by the destination
   * stream, which an instance's logger reports through its `onError` (once per transport).
   */
  writeErrors = 0;
  /** Bytes written to the destination so far. */
  bytesWritten = 0;
  private pending = '';
  private scheduled = false;
  private shut = false;
  private readonly flushAtLength: number;
  // `_stream`: the name guardLogger looks for to report the destination's write errors.
  private readonly _stream: SonicBoom;
  private readonly ownsDestination: boolean;
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
    this.flushAtLength = positiveInteger('flushAtLength', options.flushAtLength, 65536);
    const maxLength = positiveInteger('maxPendingLength', options.maxPendingLength, 16 * 1024 * 1024);
    this.ownsDestination = typeof destination === 'string';
    try {
      this._stream = new SonicBoom({ dest: destination, sync: true, mkdir: true, append: true, maxLength });
    } catch (e) {
      const reason = typeof (e as { message?: unknown } | null)?.message === 'string' ? (e as Error).message : String(e);
      throw new ObservabilityConfigError('LineTransport destination', destination, `a file that can be opened for appending (${reason})`);
    }
    this._stream.on('write', (n: number) => {
      this.bytesWritten += n;
    });
    this._stream.on('error', () => {
      this.writeErrors++;
    });
    this._stream.on('drop', (data: string) => {
      this.dropped += countLines(data);
    });
    open.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', flushAllOnExit);
    }
  }

  override log(info: Record<string | symbol, unknown>, callback?: () => void): void {
    const message = info[MESSAGE];
    if (this.shut) {
      this.dropped++;
    } else {
      this.pending += (typeof message === 'string' ? message : String(message)) + '\n';
      if (this.pending.length >= this.flushAtLength) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flushTurn);
      }
    }
    if (callback) callback();
  }

  /** Writes the pending lines now. */
  flush(): void {
    if (this.pending.length === 0) return;
    const data = this.pending;
    this.pending = '';
    try {
      this._stream.write(data);
    } catch (e) {
      // Destroyed underneath us (a failed open): the lines are counted, not thrown at the caller.
      this.dropped += countLines(data);
      this._stream.emit('error', e);
    }
  }

  /**
   * Writes the pending lines, then opens the destination file again by its path: after log
   * rotation has moved the file away (`logrotate` without `copytruncate`, then a signal to the
   * process), lines go to the new file. Does nothing for a file descriptor destination.
   */
  reopen(): void {
    if (this.shut || !this.ownsDestination) return;
    this.flush();
    try {
      this._stream.reopen();
    } catch (e) {
      // Counted in writeErrors by the stream's own error listener, reported by the logger's.
      this._stream.emit('error', e);
    }
  }

  /** Writes the pending lines and closes the destination when it is a file this transport opened. */
  override close(): void {
    if (this.shut) return;
    this.flush();
    this.shut = true;
    open.delete(this);
    if (this.ownsDestination) this._stream.end();
  }

  // The logger ended (`logger.end()`, the instance's shutdown): write what is pending, close
  // an owned file and leave the exit hook's list, so instances that come and go do not pile up.
  override _final(callback: (error?: Error | null) => void): void {
    this.close();
    callback();
  }
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new ObservabilityConfigError(`LineTransport ${name}`, value, 'a positive whole number of characters');
  return value;
}

function countLines(data: string): number {
  let n = 0;
  for (let i = data.indexOf('\n'); i !== -1; i = data.indexOf('\n', i + 1)) n++;
  return n;
}
