import { formatPromDuration } from './promDuration';

/** Severity of an error-budget burn alert: `page` wakes someone, `ticket` waits for working hours. */
export type BurnSeverity = 'page' | 'ticket';

/** One multi-window condition: both windows burn faster than `factor` times the budget. */
export interface BurnWindow {
  readonly severity: BurnSeverity;
  /** The long window, a Prometheus duration: how much budget has been spent. */
  readonly long: string;
  /** The short window, a Prometheus duration: is it still burning now (so the alert resets soon after recovery). */
  readonly short: string;
  /** Burn rate both windows must exceed (error ratio divided by the error budget). */
  readonly factor: number;
  /** Share of the whole period's budget spent when the long window burns at `factor`. */
  readonly budgetShare: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The SRE workbook's windows and factors for a 30-day period. */
export const REFERENCE_PERIOD_MS = 30 * DAY;
const REFERENCE: ReadonlyArray<{ severity: BurnSeverity; long: number; short: number; factor: number }> = [
  { severity: 'page', long: HOUR, short: 5 * MINUTE, factor: 14.4 },
  { severity: 'page', long: 6 * HOUR, short: 30 * MINUTE, factor: 6 },
  { severity: 'ticket', long: DAY, short: 2 * HOUR, factor: 3 },
  { severity: 'ticket', long: 3 * DAY, short: 6 * HOUR, factor: 1 },
];

/**
 * The four burn conditions for a period. Windows scale with the period (a 7-day period
 * pages on 14 minutes and 70 seconds), so each condition spends the same share of the
 * budget as in the workbook: 2 %, 5 %, 10 % and 10 %. A window that would be shorter
 * than `minWindowMs` is raised to it; a raised long window gets a lower factor so the
 * share it stands for stays the same (`factor = share x period / window`).
 */
export function burnRateWindows(periodMs: number, minWindowMs: number): BurnWindow[] {
  const scale = periodMs / REFERENCE_PERIOD_MS;
  const window = (ms: number): number => Math.max(minWindowMs, roundWindow(ms * scale));
  return REFERENCE.map((r) => {
    const budgetShare = (r.factor * r.long) / REFERENCE_PERIOD_MS;
    const long = window(r.long);
    const short = window(r.short);
    const factor = Number(((budgetShare * periodMs) / long).toPrecision(6));
    return {
      severity: r.severity,
      long: formatPromDuration(long),
      short: formatPromDuration(short),
      factor,
      budgetShare,
    };
  });
}

/** The shortest period whose raised windows still need a burn above 1x: below it an alert would fire within the objective. */
export function shortestPeriodMs(minWindowMs: number): number {
  return Math.max(...REFERENCE.map((r) => (minWindowMs * REFERENCE_PERIOD_MS) / (r.factor * r.long)));
}

/** Whole seconds (whole milliseconds below 10 s), so the windows read well in rule names. */
function roundWindow(ms: number): number {
  return ms >= 10_000 ? Math.round(ms / 1000) * 1000 : Math.max(1, Math.round(ms));
}
