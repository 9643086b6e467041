import { closeSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import winston from 'winston';
import { LineTransport } from '../lib/logging/LineTransport';

/**
 * A span exporter that drops spans but counts them, so every traced variant (ours and
 * the peer stack) pays for span creation and batching but not for any network, and the
 * bench can still check that spans were produced.
 */
export class CountingSpanExporter implements SpanExporter {
  exported = 0;

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exported += spans.length;
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  async shutdown(): Promise<void> {}

  async forceFlush(): Promise<void> {}
}

/** A winston transport writing real lines to /dev/null, and the bytes it has written. */
export interface DevNullOutput {
  readonly transport: winston.transport;
  bytes(): number;
  /** Closes the file descriptor. */
  close(): void;
}

/**
 * A winston stream transport writing each line synchronously to /dev/null, the way Node
 * writes `process.stdout` when it is a file or a pipe (a container's log output): one
 * `write` system call per line on the main thread. An `fs.WriteStream` would instead
 * hand every write to libuv's thread pool, and measure thread hand-offs rather than
 * logging. The peer stack logs through it, as winston's Console transport would write stdout;
 * the library's variants use its own default transport (see {@link devNullLineTransport}).
 */
export function devNullTransport(): DevNullOutput {
  const fd = openSync('/dev/null', 'w');
  let written = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      try {
        written += writeSync(fd, chunk);
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
    destroy(error, callback) {
      closeSync(fd);
      callback(error);
    },
  });
  return { transport: new winston.transports.Stream({ stream }), bytes: () => written, close: () => void stream.destroy() };
}

/**
 * The library's default transport ({@link LineTransport}: the lines of each event-loop turn
 * in one write) pointed at /dev/null instead of stdout.
 */
export function devNullLineTransport(): DevNullOutput {
  const transport = new LineTransport({ destination: '/dev/null' });
  return { transport, bytes: () => transport.bytesWritten, close: () => transport.close() };
}
