import { EventEmitter } from 'node:events';
import { closeSync, fstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

// One write takes at most this much: a pipe holds 64 KiB, and joining more only copies more.
const CHUNK = 64 * 1024;
// Written per call at most, so a large backlog drained into a fast reader never makes a long turn.
const TURN_BUDGET = 1024 * 1024;
// Retry delays while the destination is full: short while it takes a lot, up to the cap while it takes little.
const MIN_RETRY_MS = 1;
const MAX_RETRY_MS = 50;
let pause: Int32Array | undefined;

/**
 * Writes text to a file descriptor in order, on the main thread and never waiting for it:
 * on a non-blocking pipe or socket a full buffer answers EAGAIN at once, the text waits here
 * and is retried on a timer (unref'd) instead of sleeping in the event loop or parking a
 * thread-pool thread (which `process.exit()` would then wait for). Regular files and
 * character devices take each write whole. A failed write drops its text and
 * emits `error`; what it cost is counted by the caller through `onDropped`.
 */
export class NonBlockingWriter extends EventEmitter {
  /** Bytes written so far. */
  bytesWritten = 0;
  /** Write system calls made (each turn's lines share one while the destination keeps up). */
  writes = 0;
  /** Writes that failed (each also emitted as `error`). */
  failures = 0;
  private readonly queue: string[] = [];
  private queuedChars = 0;
  // The chunk being written: text not yet tried or refused whole, or the bytes left of one taken in part.
  private head: string | Buffer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryMs = MIN_RETRY_MS;

  constructor(
    private fd: number,
    private readonly onDropped: (lines: number) => void,
  ) {
    super();
  }

  /** A writer appending to the file at `path`, its directory created. Throws when it cannot be opened. */
  static openFile(path: string, onDropped: (lines: number) => void): NonBlockingWriter {
    return new NonBlockingWriter(openForAppend(path), onDropped);
  }

  /**
   * A writer on descriptor `fd`. A pipe or socket on stdout or stderr is made non-blocking,
   * so a full one answers EAGAIN instead of stopping the process: Node does so when it
   * creates `process.stdout` or `process.stderr` for one (libuv's `uv_pipe_open`), as any
   * `console.log` would. Files, terminals and other descriptors are left as they are.
   */
  static forDescriptor(fd: number, onDropped: (lines: number) => void): NonBlockingWriter {
    try {
      const stat = fd === 1 || fd === 2 ? fstatSync(fd) : undefined;
      if (stat && (stat.isFIFO() || stat.isSocket())) void (fd === 1 ? process.stdout : process.stderr).writable;
    } catch {
      // A closed descriptor: the first write reports it.
    }
    return new NonBlockingWriter(fd, onDropped);
  }

  /** Writes to the file at `path` from now on (after log rotation), closing the old one. Throws when it cannot be opened. */
  reopen(path: string): void {
    const old = this.fd;
    this.fd = openForAppend(path);
    closeQuietly(old);
  }

  /** Closes the descriptor (for a file this writer opened). */
  close(): void {
    closeQuietly(this.fd);
  }

  /** Characters (bytes, for a partly written chunk) waiting for the destination. */
  get length(): number {
    return this.queuedChars + (this.head ? this.head.length : 0);
  }

  /** Queues `data` after what waits and writes as much as the destination takes now. */
  write(data: string): void {
    this.queue.push(data);
    this.queuedChars += data.length;
    // A retry is already due: writing now would only meet the same full buffer.
    if (this.timer === undefined) this.pump();
  }

  /**
   * Writes what waits, synchronously, until `deadline` (a `Date.now()` value): the last
   * chance at process exit. A destination still full at the deadline keeps the rest.
   */
  writeUntil(deadline: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.length > 0) {
      const result = this.writeChunk();
      if (result === 'failed') continue;
      if (result === 'full') {
        if (Date.now() >= deadline) return;
        Atomics.wait((pause ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, MIN_RETRY_MS);
      }
    }
  }

  private readonly retry = (): void => {
    this.timer = undefined;
    this.pump();
  };

  private pump(): void {
    let budget = TURN_BUDGET;
    const before = this.bytesWritten;
    while (this.length > 0) {
      if (budget <= 0) return this.schedule(MIN_RETRY_MS);
      const result = this.writeChunk();
      if (result === 'full') {
        // Little taken since the last try: a slow reader; back off. A lot: it drains fast; come back soon.
        const took = this.bytesWritten - before;
        this.retryMs = took >= CHUNK / 4 ? MIN_RETRY_MS : Math.min(this.retryMs * 2, MAX_RETRY_MS);
        return this.schedule(this.retryMs);
      }
      if (result === 'written') budget -= CHUNK;
    }
    this.retryMs = MIN_RETRY_MS;
    if (this.listenerCount('drain') > 0) this.emit('drain');
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(this.retry, ms);
    this.timer.unref();
  }

  // One write of the head chunk: all or part of it taken, none (destination full), or failed.
  private writeChunk(): 'written' | 'full' | 'failed' {
    const chunk = this.head ?? this.take();
    let n: number;
    try {
      // Text is written as it is: Node encodes it on the way, with no Buffer to allocate and collect.
      n = typeof chunk === 'string' ? writeSync(this.fd, chunk, null, 'utf8') : writeSync(this.fd, chunk);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException | null)?.code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EBUSY') {
        this.head = chunk;
        return 'full';
      }
      // Retrying a closed descriptor, a broken pipe or a full disk would only hold the lines
      // back (and a reused descriptor number could take them elsewhere): they are counted.
      this.head = undefined;
      this.failures++;
      this.onDropped(countLines(chunk));
      this.emit('error', e);
      return 'failed';
    }
    this.writes++;
    this.bytesWritten += n;
    if (typeof chunk === 'string') {
      const bytes = n < chunk.length ? -1 : Buffer.byteLength(chunk, 'utf8');
      this.head = n === bytes ? undefined : Buffer.from(chunk, 'utf8').subarray(n);
    } else {
      this.head = n < chunk.length ? chunk.subarray(n) : undefined;
    }
    return this.head ? 'full' : 'written';
  }

  // The next chunk: queued strings joined up to CHUNK characters (one string when longer).
  private take(): string {
    const q = this.queue;
    let k = 1;
    let total = q[0].length;
    while (k < q.length && total + q[k].length <= CHUNK) total += q[k++].length;
    const text = k === 1 ? q[0] : q.slice(0, k).join('');
    q.splice(0, k);
    this.queuedChars -= text.length;
    return text;
  }
}

function openForAppend(path: string): number {
  mkdirSync(dirname(path), { recursive: true });
  return openSync(path, 'a');
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing is left to lose.
  }
}

/** Newlines in `data`: the lines it holds. */
export function countLines(data: string | Buffer): number {
  let n = 0;
  if (typeof data === 'string') for (let i = data.indexOf('\n'); i !== -1; i = data.indexOf('\n', i + 1)) n++;
  else for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return n;
}
