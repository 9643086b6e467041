import { createWriteStream, type WriteStream } from 'node:fs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import winston from 'winston';

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

/** A winston transport writing real lines to /dev/null, with the stream kept to count bytes. */
export function devNullTransport(): { transport: winston.transport; stream: WriteStream } {
  const stream = createWriteStream('/dev/null');
  return { transport: new winston.transports.Stream({ stream }), stream };
}
