import type { MetricDefinitions } from '../metrics/MetricDefinitions';
import type { LogExportListener } from './LogExportGuard';

/**
 * Counts OTLP log losses in the self-metrics (when the metrics pillar is on) and reports them
 * at most once per interval, as one summary, so a collector outage under load becomes one
 * warning a minute rather than one per line.
 */
export function createLogLossListener(report: (error: Error) => void, intervalMs: number, define: MetricDefinitions | undefined): LogExportListener {
  const dropped = define?.counter({
    name: 'express_observability_log_records_dropped_total',
    help: 'Log records that never reached the OTLP log backend, by reason (queue_full: export queue at its limit; export_failed: the export call failed; shutdown: the final flush was cut off by the shutdown deadline).',
    labelNames: ['reason'],
  });
  const failures = define?.counter({
    name: 'express_observability_log_export_failures_total',
    help: 'OTLP log export calls that failed (backend down, refusing, timing out or rejecting).',
  });
  for (const reason of ['queue_full', 'export_failed', 'shutdown']) dropped?.inc({ reason }, 0);
  failures?.inc(0);
  let last = -Infinity;
  let droppedSince = 0;
  let failuresSince = 0;
  let lastError: unknown;
  const maybeReport = (): void => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
    report(new Error(`log export: ${droppedSince} records dropped and ${failuresSince} exports failed since the last report${cause}`, { cause: lastError }));
    droppedSince = 0;
    failuresSince = 0;
    lastError = undefined;
  };
  return {
    dropped(reason, count) {
      dropped?.inc({ reason }, count);
      droppedSince += count;
      if (reason === 'queue_full') maybeReport();
    },
    exportFailed(error) {
      failures?.inc();
      failuresSince++;
      lastError = error;
      maybeReport();
    },
  };
}
