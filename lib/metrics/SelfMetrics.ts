import type { Counter } from 'prom-client';
import type { ErrorReporter } from '../errorReporter';
import type { MetricDefinitions } from './MetricDefinitions';

/** Why a label set or value was fixed or dropped. */
export type LabelErrorReason = 'unknown_label' | 'missing_label' | 'invalid_value' | 'too_long' | 'invalid_number';

/** Why a collector was skipped for one scrape. */
export type CollectorErrorReason = 'error' | 'timeout';

/** Longest label value kept; longer ones are cut (and counted as `too_long`). */
export const MAX_LABEL_VALUE_LENGTH = 128;

/**
 * The library's metrics about itself: label errors, cardinality overflow, failed
 * collectors and telemetry failures. They are how a user sees that telemetry is
 * losing data without that loss ever reaching a request.
 */
export class SelfMetrics {
  private readonly labelErrors: Counter<'metric' | 'reason'>;
  private readonly overflow: Counter<'metric'>;
  private readonly collectorErrors: Counter<'metric' | 'reason'>;
  private readonly warned = new Set<string>();

  constructor(
    define: MetricDefinitions,
    errors: ErrorReporter,
    private readonly warn: (message: string, meta: Record<string, unknown>) => void,
  ) {
    this.labelErrors = define.counter({
      name: 'express_observability_label_errors_total',
      help: 'Label sets or values that were fixed or dropped instead of failing a request, by metric and reason.',
      labelNames: ['metric', 'reason'],
    });
    this.overflow = define.counter({
      name: 'express_observability_series_overflow_total',
      help: 'Observations sent to the overflow series because the metric reached maxSeriesPerMetric.',
      labelNames: ['metric'],
    });
    this.collectorErrors = define.counter({
      name: 'express_observability_collector_errors_total',
      help: 'Metrics left out of a scrape because their collector threw or timed out.',
      labelNames: ['metric', 'reason'],
    });
    define.counter({
      name: 'express_observability_telemetry_errors_total',
      help: 'Failures while recording telemetry, by source (counted, never thrown into requests).',
      labelNames: ['source'],
      collect(this: Counter<'source'>) {
        // The reporter owns the counts; mirror them at scrape time instead of on every failure.
        this.reset();
        for (const [source, count] of Object.entries(errors.counts())) this.inc({ source }, count);
      },
    });
  }

  /** Counts a fixed or dropped label set or value. */
  labelError(metric: string, reason: LabelErrorReason): void {
    this.labelErrors.inc({ metric, reason });
  }

  /** Counts an overflowed observation; the first one per metric is logged. */
  overflowed(metric: string, limit: number): void {
    this.overflow.inc({ metric });
    if (this.warned.has(metric)) return;
    this.warned.add(metric);
    this.warn(`express-observability: metric ${metric} reached ${limit} label combinations; new ones go to the OVERFLOW series`, {
      metric,
      maxSeriesPerMetric: limit,
    });
  }

  /** Counts a collector skipped for one scrape. */
  collectorFailed(metric: string, reason: CollectorErrorReason): void {
    this.collectorErrors.inc({ metric, reason });
  }

  /** Name of the collector-error metric, rendered after the others so a scrape shows its own failures. */
  get collectorErrorsName(): string {
    return (this.collectorErrors as unknown as { name: string }).name;
  }
}
