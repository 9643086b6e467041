import type { AlertRule, RecordingRule } from './alertRuleTypes';
import type { ResolvedAlertingOptions, ResolvedServiceSlo } from './alertingOptions';
import type { BurnSeverity } from './burnRateWindows';
import { parsePromDuration } from './promDuration';
import { promNumber, selector } from './promql';
import { BUDGET_REMAINING_RECORD, errorRatioRecord, type SloKind } from './sloRecordNames';

/** Alert name of every error-budget burn alert, told apart by `service`, `slo` and `severity`. */
export const ERROR_BUDGET_BURN = 'ErrorBudgetBurn';
/** Alert name of the alert on an SLO whose series are missing. */
export const SLO_METRIC_ABSENT = 'SLOMetricAbsent';

/** One objective of one service, with what its rules need. */
export interface SloTarget {
  readonly kind: SloKind;
  /** The objective, such as 0.999. */
  readonly objective: number;
  /** The error budget, 1 - objective. */
  readonly budget: number;
  /** What the objective promises, for annotations and panel titles. */
  readonly promise: string;
}

/** The objectives of one service, availability first. */
export function sloTargets(slo: ResolvedServiceSlo): SloTarget[] {
  const out: SloTarget[] = [];
  const { availability, latency } = slo.objectives;
  const pct = (x: number): string => `${promNumber(x * 100)}%`;
  if (availability !== undefined) {
    out.push({
      kind: 'availability',
      objective: availability,
      budget: 1 - availability,
      promise: `${pct(availability)} of requests without 5xx`,
    });
  }
  if (latency !== undefined) {
    const promise = `${pct(latency.objective)} of requests within ${promNumber(latency.thresholdSeconds)}s`;
    out.push({ kind: 'latency', objective: latency.objective, budget: 1 - latency.objective, promise });
  }
  return out;
}

/**
 * The SLO rules of one service: per objective the error ratio over every burn window and
 * the period, the budget left, a `page` and a `ticket` ErrorBudgetBurn alert, and an alert
 * on missing series. Empty when the service has no objectives.
 */
export function buildSloRules(
  o: ResolvedAlertingOptions,
  slo: ResolvedServiceSlo,
): Array<AlertRule | RecordingRule> {
  const rules: Array<AlertRule | RecordingRule> = [];
  // The service label repeated on the rule keeps records of two services apart for promtool's duplicate check.
  const labels = (kind: SloKind): Record<string, string> => ({
    [o.metrics.serviceLabel]: slo.service,
    slo: kind,
  });
  for (const target of sloTargets(slo)) {
    const windows = [...new Set([...o.slo.burnWindows.flatMap((w) => [w.short, w.long]), o.slo.period])].sort(
      (a, b) => parsePromDuration(a)! - parsePromDuration(b)!,
    );
    for (const w of windows) {
      rules.push({
        record: errorRatioRecord(w),
        expr: errorRatio(o, slo, target.kind, w),
        labels: labels(target.kind),
      });
    }
    rules.push({
      record: BUDGET_REMAINING_RECORD,
      expr: `1 - ${recorded(o, slo, target, o.slo.period)} / ${promNumber(target.budget)}`,
      labels: labels(target.kind),
    });
    for (const severity of ['page', 'ticket'] as const) rules.push(burnAlert(o, slo, target, severity));
    rules.push(absentAlert(o, slo, target));
  }
  return rules;
}

function errorRatio(o: ResolvedAlertingOptions, slo: ResolvedServiceSlo, kind: SloKind, w: string): string {
  const m = o.metrics;
  const by = `sum by (${m.serviceLabel})`;
  const s = { [m.serviceLabel]: slo.service };
  if (kind === 'availability') {
    const all = `${by} (rate(${selector(m.requests, s)}[${w}]))`;
    const errors = `${by} (rate(${selector(m.requests, { ...s, [m.statusLabel]: '=~5..' })}[${w}]))`;
    // No 5xx series at all is a ratio of 0, not no ratio.
    return `(${errors} or ${all} * 0) / ${all}`;
  }
  const fast = `${by} (rate(${selector(`${m.duration}_bucket`, { ...s, le: leMatcher(slo.objectives.latency!.thresholdSeconds) })}[${w}]))`;
  const all = `${by} (rate(${selector(`${m.duration}_count`, s)}[${w}]))`;
  return `1 - ${fast} / ${all}`;
}

/**
 * Matches the bucket of `seconds` however it is written: prom-client writes `1`, Prometheus
 * 3 normalises classic histograms to `1.0`. A regex also keeps `le` out of absent()'s labels.
 */
function leMatcher(seconds: number): string {
  const text = promNumber(seconds).replace(/\./g, '\\.');
  return `=~${Number.isInteger(seconds) ? `${text}(\\.0)?` : text}`;
}

function recorded(o: ResolvedAlertingOptions, slo: ResolvedServiceSlo, t: SloTarget, w: string): string {
  return selector(errorRatioRecord(w), { [o.metrics.serviceLabel]: slo.service, slo: t.kind });
}

function burnAlert(
  o: ResolvedAlertingOptions,
  slo: ResolvedServiceSlo,
  t: SloTarget,
  severity: BurnSeverity,
): AlertRule {
  const conditions = o.slo.burnWindows.filter((w) => w.severity === severity);
  const burn = (w: string): string => `${recorded(o, slo, t, w)} / ${promNumber(t.budget)}`;
  // The value of the alert is the long window's burn rate of the first condition that holds.
  const expr = conditions
    .map((c) => `(${burn(c.long)} > ${promNumber(c.factor)} and ${burn(c.short)} > ${promNumber(c.factor)})`)
    .join(' or ');
  // A short period can raise both windows of a condition to minWindow: then they are one.
  const when = conditions
    .map((c) =>
      c.long === c.short
        ? `${c.long} burns above ${promNumber(c.factor)}x`
        : `both ${c.long} and ${c.short} burn above ${promNumber(c.factor)}x`,
    )
    .join(', or ');
  const now = [...new Set(conditions.flatMap((c) => [c.long, c.short]))]
    .map((w) => `${w} ${templateQuery(burn(w), 'printf "%.1f"')}x`)
    .join(', ');
  const left = templateQuery(
    selector(BUDGET_REMAINING_RECORD, { [o.metrics.serviceLabel]: slo.service, slo: t.kind }),
    'humanizePercentage',
  );
  const spent = conditions.map((c) => percent(c.budgetShare)).join(' and ');
  return {
    alert: ERROR_BUDGET_BURN,
    expr,
    labels: { severity, service: slo.service, slo: t.kind },
    annotations: {
      summary: `${slo.service} ${t.kind} SLO: error budget burning at {{ printf "%.1f" $value }}x (${severity})`,
      description:
        `Objective: ${t.promise} over ${o.slo.period}; burn rate is the error ratio over the budget of ${percent(t.budget)}. ` +
        `It fires (${severity}) when ${when}: ${spent} of the budget spent at that pace. ` +
        `Now: ${now}. Budget left over ${o.slo.period}: ${left}.`,
    },
  };
}

function absentAlert(o: ResolvedAlertingOptions, slo: ResolvedServiceSlo, t: SloTarget): AlertRule {
  const m = o.metrics;
  const s = { [m.serviceLabel]: slo.service };
  const threshold = slo.objectives.latency?.thresholdSeconds;
  const series =
    t.kind === 'availability'
      ? selector(m.requests, s)
      : selector(`${m.duration}_bucket`, { ...s, le: leMatcher(threshold!) });
  const missing =
    t.kind === 'availability'
      ? `${m.requests} series`
      : `${m.duration}_bucket series with le="${promNumber(threshold!)}"`;
  return {
    alert: SLO_METRIC_ABSENT,
    expr: `absent(${series})`,
    for: slo.for.sloAbsent,
    labels: { severity: slo.severity.sloAbsent, service: slo.service, slo: t.kind },
    annotations: {
      summary: `${slo.service} ${t.kind} SLO: no series to judge it by`,
      description:
        `Prometheus has no ${missing} of ${slo.service}: the service is not scraped, its metrics have another prefix, preset or buckets, ` +
        `or it has not served a request yet. Its ${t.kind} SLO (${t.promise}) cannot alert until the series are back.`,
    },
  };
}

/** A Prometheus template that runs `expr` at alert time and formats its first value, or says there is none. */
function templateQuery(expr: string, format: string): string {
  return `{{ with query ${JSON.stringify(expr)} }}{{ . | first | value | ${format} }}{{ else }}n/a{{ end }}`;
}

function percent(share: number): string {
  return `${promNumber(Number((share * 100).toPrecision(6)))}%`;
}
