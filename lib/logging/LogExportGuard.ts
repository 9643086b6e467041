import type { Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from './createOtlpLogExport';

/** Why log records never reached the backend. */
export type LogDropReason = 'queue_full' | 'export_failed' | 'shutdown';

/** Counts of the OTLP log pipeline since the instance started. */
export interface LogExportStats {
  /** Records handed to the exporter and acknowledged. */
  readonly exportedRecords: number;
  /** Records dropped because the batch queue was full (backend slow or down). */
  readonly droppedQueueFull: number;
  /** Records in export calls that failed. */
  readonly droppedExportFailed: number;
  /** Export calls that failed (refused, timed out, rejected by the backend). */
  readonly exportFailures: number;
  /** Records still queued or being exported when the shutdown deadline cut the final flush off. */
  readonly droppedShutdown: number;
}

/** Told about every loss; must be cheap and must not throw. */
export interface LogExportListener {
  dropped(reason: LogDropReason, count: number): void;
  exportFailed(error: unknown): void;
}

/**
 * Makes the losses of the log export pipeline visible, as SpanExportGuard does for spans: the
 * SDK's batch processor drops records past its queue silently and reports failed exports to
 * OTel's process-wide error handler. It keeps its own count of queued records (handed to the
 * processor, not yet to the exporter) and drops past `maxQueueSize` itself, where it counts.
 */
export class LogExportGuard {
  private queued = 0;
  private exporting = 0;
  private readonly pending = new Set<(result: ExportResult) => void>();
  private abandoned = false;
  private readonly counts = { exportedRecords: 0, droppedQueueFull: 0, droppedExportFailed: 0, exportFailures: 0, droppedShutdown: 0 };

  constructor(private readonly listener: LogExportListener) {}

  /** A snapshot of the counts. */
  stats(): LogExportStats {
    return { ...this.counts };
  }

  /** The exporter, counting what it acknowledges and what fails; never throws into the processor. */
  wrapExporter(exporter: LogRecordExporter): LogRecordExporter {
    return {
      export: (records: ReadableLogRecord[], done: (result: ExportResult) => void) => {
        const n = records.length;
        this.queued = Math.max(0, this.queued - n);
        if (!this.abandoned) this.exporting += n;
        let settled = false;
        const finish = (result: ExportResult): void => {
          if (settled) return;
          settled = true;
          this.pending.delete(finish);
          if (!this.abandoned) {
            this.exporting -= n;
            if (result.code === ExportResultCode.SUCCESS) {
              this.counts.exportedRecords += n;
            } else {
              this.counts.exportFailures++;
              this.counts.droppedExportFailed += n;
              this.listener.dropped('export_failed', n);
              this.listener.exportFailed(result.error ?? new Error('log export failed'));
            }
          }
          done(result);
        };
        this.pending.add(finish);
        try {
          exporter.export(records, finish);
        } catch (e) {
          finish({ code: ExportResultCode.FAILED, error: e instanceof Error ? e : new Error(String(e)) });
        }
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }

  /** The batch processor, with records past `maxQueueSize` dropped here, where they are counted. */
  limitQueue(processor: LogRecordProcessor, maxQueueSize: number): LogRecordProcessor {
    return {
      onEmit: (record: SdkLogRecord, ctx?: Context) => {
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
        processor.onEmit(record, ctx);
      },
      forceFlush: () => processor.forceFlush(),
      shutdown: () => processor.shutdown(),
    };
  }

  /**
   * The shutdown deadline cut the final flush off: every record still queued or in an
   * unfinished export is counted as dropped (`shutdown`), and unfinished exports are answered
   * as failed so the processor lets go of them. Returns how many records were dropped.
   */
  abandon(): number {
    if (this.abandoned) return 0;
    this.abandoned = true;
    const lost = this.queued + this.exporting;
    this.queued = 0;
    this.exporting = 0;
    this.counts.droppedShutdown += lost;
    if (lost > 0) this.listener.dropped('shutdown', lost);
    const error = new Error('log export cut off by the shutdown deadline');
    for (const finish of [...this.pending]) finish({ code: ExportResultCode.FAILED, error });
    return lost;
  }
}
