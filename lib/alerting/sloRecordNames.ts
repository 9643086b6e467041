/** The two kinds of objective. */
export type SloKind = 'availability' | 'latency';

/** Name of the recorded error ratio of one SLO over `window` (labels `service` and `slo`). */
export function errorRatioRecord(window: string): string {
  return `slo:error_ratio:rate${window}`;
}

/** Name of the recorded share of the period's error budget left (1 is untouched, 0 spent, below 0 overspent). */
export const BUDGET_REMAINING_RECORD = 'slo:error_budget_remaining:ratio';
