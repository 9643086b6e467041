import { TraceFlags, type Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, SpanProcessor } from './createTracerProvider';

/** Why spans never reached the backend. */
export type SpanDropReason = 'queue_full' | 'export_failed' | 'shutdown';

/** Counts of the export pipeline since the instance started. */
export interface SpanExportStats {
  /** Spans handed to the exporter and acknowledged. */
  readonly exportedSpans: number;
  /** Spans dropped because the batch queue was full (backend slow or down). */
  readonly droppedQueueFull: number;
  /** Spans in export calls that failed. */
  readonly droppedExportFailed: number;
  /** Export calls that failed (refused, timed out, rejected by the backend). */
  readonly exportFailures: number;
  /** Spans still queued or being exported when the shutdown deadline cut the final flush off. */
  readonly droppedShutdown: number;
}

/** Told about every loss; must be cheap and must not throw. */
export interface SpanExportListener {
  dropped(reason: SpanDropReason, count: number): void;
  exportFailed(error: unknown): void;
}

/**
 * Makes the losses of the export pipeline visible. The SDK's batch processor drops spans
 * past its queue limit silently (a debug log at most) and reports failed exports to the
 * process-wide OTel error handler; this wrapper counts both per instance instead. It keeps
 * its own count of queued spans (handed to the processor, not yet handed to the exporter),
 * which matches the batch processor's queue exactly because the processor moves spans out
 * of its queue in the same synchronous step as it calls `export`.
 */
export class SpanExportGuard {
  private queued = 0;
  /** Spans handed to the exporter whose export has not settled yet. */
  private exporting = 0;
  /** Settles an unfinished export; the processor waits on each (with a timer of its own). */
  private readonly pending = new Set<(result: ExportResult) => void>();
  private abandoned = false;
  private readonly counts = { exportedSpans: 0, droppedQueueFull: 0, droppedExportFailed: 0, exportFailures: 0, droppedShutdown: 0 };

  constructor(private readonly listener: SpanExportListener) {}

  /** A snapshot of the counts. */
  stats(): SpanExportStats {
    return { ...this.counts };
  }

  /** The exporter, counting what it acknowledges and what fails; never throws into the processor. */
  wrapExporter(exporter: SpanExporter): SpanExporter {
    return {
      export: (spans: ReadableSpan[], done: (result: ExportResult) => void) => {
        const n = spans.length;
        this.queued = Math.max(0, this.queued - n);
        if (!this.abandoned) this.exporting += n;
        let settled = false;
        const finish = (result: ExportResult): void => {
          if (settled) return;
          settled = true;
          this.pending.delete(finish);
          // Once abandoned, every span not yet acknowledged has been counted as dropped.
          if (this.abandoned) {
            done(result);
            return;
          }
          this.exporting -= n;
          if (result.code === ExportResultCode.SUCCESS) {
            this.counts.exportedSpans += n;
          } else {
            this.counts.exportFailures++;
            this.counts.droppedExportFailed += n;
            this.listener.dropped('export_failed', n);
            this.listener.exportFailed(result.error ?? new Error('span export failed'));
          }
          done(result);
        };
        this.pending.add(finish);
        try {
          exporter.export(spans, finish);
        } catch (e) {
          finish({ code: ExportResultCode.FAILED, error: e instanceof Error ? e : new Error(String(e)) });
        }
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }

  /**
   * The shutdown deadline cut the final flush off: every span still queued or in an
   * unfinished export is counted as dropped (reason `shutdown`), unfinished exports are
   * answered as failed so the processor lets go of them (its own export timer would
   * keep the process alive for 30 s), and their real outcomes are no longer counted.
   * Returns how many spans were dropped.
   */
  abandon(): number {
    if (this.abandoned) return 0;
    this.abandoned = true;
    const lost = this.queued + this.exporting;
    this.queued = 0;
    this.exporting = 0;
    this.counts.droppedShutdown += lost;
    if (lost > 0) this.listener.dropped('shutdown', lost);
    const error = new Error('span export cut off by the shutdown deadline');
    for (const finish of [...this.pending]) finish({ code: ExportResultCode.FAILED, error });
    return lost;
  }

  /** The batch processor, with spans past `maxQueueSize` dropped here, where they are counted. */
  limitQueue(processor: SpanProcessor, maxQueueSize: number): SpanProcessor {
    return {
      onStart: (span, parentContext: Context) => processor.onStart(span, parentContext),
      onEnd: (span: ReadableSpan) => {
        if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
        if (this.abandoned) {
          this.counts.droppedShutdown++;
          this.listener.dropped('shutdown', 1);
          return;
        }
        if (this.queued >= maxQueueSize) {
          this.counts.droppedQueueFull++;
          this.listener.dropped('queue_full', 1);
          return;
        }
        this.queued++;
        processor.onEnd(span);
      },
      forceFlush: () => processor.forceFlush(),
      shutdown: () => processor.shutdown(),
    };
  }
}
