import {
  resolveAlertingOptions,
  type AlertingOptions,
  type AlertKind,
  type ResolvedAlertingOptions,
  type ResolvedServiceSlo,
} from './alertingOptions';
import type { AlertRule, AlertRuleFile, RecordingRule } from './alertRuleTypes';
import { buildSloRules, SLO_METRIC_ABSENT } from './buildSloRules';
import { promNumber, selector } from './promql';

export type { AlertRule, AlertRuleFile, AlertRuleGroup, RecordingRule } from './alertRuleTypes';

/** Alert name per kind; the same name for every service, told apart by the `service` label. */
export const ALERT_NAMES: Readonly<Record<AlertKind, string>> = {
  errorRatio: 'HighErrorRatio',
  latencyP95: 'HighLatencyP95',
  latencyP99: 'HighLatencyP99',
  instanceDown: 'InstanceDown',
  healthCheck: 'HealthCheckFailing',
  memory: 'HighMemoryUsage',
  sloAbsent: SLO_METRIC_ABSENT,
};

/**
 * Builds the rules for every service as plain data (one group per service). A service
 * with objectives (`availability`, `latency`) gets recording rules of its error ratios,
 * the budget left, `ErrorBudgetBurn` page and ticket alerts and `SLOMetricAbsent`; one
 * without gets the threshold alerts on 5xx ratio and p95/p99 latency instead. Every
 * service gets instance down, a failing health check and high memory.
 */
export function buildAlertRules(options: AlertingOptions): AlertRuleFile {
  const resolved = resolveAlertingOptions(options);
  return {
    groups: resolved.services.map((slo) => {
      const { availability, latency: latencyObjective } = slo.objectives;
      const rules: Array<AlertRule | RecordingRule> = buildSloRules(resolved, slo);
      if (availability === undefined) rules.push(errorRatio(resolved, slo));
      if (latencyObjective === undefined) {
        rules.push(latency(resolved, slo, 'latencyP95', 0.95, slo.latencyP95Seconds));
        rules.push(latency(resolved, slo, 'latencyP99', 0.99, slo.latencyP99Seconds));
      }
      rules.push(instanceDown(slo), healthCheck(resolved, slo), memory(resolved, slo));
      return { name: `${resolved.groupPrefix}.${slo.service}`, rules };
    }),
  };
}

function rule(
  slo: ResolvedServiceSlo,
  kind: AlertKind,
  expr: string,
  summary: string,
  description: string,
): AlertRule {
  return {
    alert: ALERT_NAMES[kind],
    expr,
    for: slo.for[kind],
    labels: { severity: slo.severity[kind], service: slo.service },
    annotations: { summary, description },
  };
}

function errorRatio(o: ResolvedAlertingOptions, slo: ResolvedServiceSlo): AlertRule {
  const m = o.metrics;
  const by = `sum by (${m.serviceLabel})`;
  const all = `${by} (rate(${selector(m.requests, { [m.serviceLabel]: slo.service })}[${slo.window}]))`;
  const errors = `${by} (rate(${selector(m.requests, { [m.serviceLabel]: slo.service, [m.statusLabel]: '=~5..' })}[${slo.window}]))`;
  let expr = `(${errors} / ${all}) > ${promNumber(slo.errorRatio)}`;
  if (slo.minRequestRate > 0) expr += ` and ${all} > ${promNumber(slo.minRequestRate)}`;
  return rule(
    slo,
    'errorRatio',
    expr,
    `${slo.service}: {{ $value | humanizePercentage }} of requests answer 5xx`,
    `More than ${promNumber(slo.errorRatio * 100)}% of requests to ${slo.service} answered with a 5xx status over the last ${slo.window}.`,
  );
}

function latency(
  o: ResolvedAlertingOptions,
  slo: ResolvedServiceSlo,
  kind: AlertKind,
  q: number,
  limit: number,
): AlertRule {
  const m = o.metrics;
  const buckets = selector(`${m.duration}_bucket`, { [m.serviceLabel]: slo.service });
  const expr = `histogram_quantile(${q}, sum by (${m.serviceLabel}, le) (rate(${buckets}[${slo.window}]))) > ${promNumber(limit)}`;
  const p = `p${Math.round(q * 100)}`;
  return rule(
    slo,
    kind,
    expr,
    `${slo.service}: ${p} latency is {{ $value | humanizeDuration }}`,
    `The ${p} request duration of ${slo.service} is above ${promNumber(limit)}s over the last ${slo.window}.`,
  );
}

function instanceDown(slo: ResolvedServiceSlo): AlertRule {
  return rule(
    slo,
    'instanceDown',
    `${selector('up', { job: slo.job })} == 0`,
    `${slo.service}: instance {{ $labels.instance }} is down`,
    `Prometheus cannot scrape ${slo.service} at {{ $labels.instance }} (job ${slo.job}).`,
  );
}

function healthCheck(o: ResolvedAlertingOptions, slo: ResolvedServiceSlo): AlertRule {
  const m = o.metrics;
  return rule(
    slo,
    'healthCheck',
    `${selector(m.healthCheck, { [m.serviceLabel]: slo.service })} < 1`,
    `${slo.service}: health check {{ $labels.${m.checkLabel} }} is failing`,
    `The health check {{ $labels.${m.checkLabel} }} of ${slo.service} on {{ $labels.instance }} reports {{ $value }} (1 is healthy); see /health/detailed.`,
  );
}

function memory(o: ResolvedAlertingOptions, slo: ResolvedServiceSlo): AlertRule {
  const m = o.metrics;
  return rule(
    slo,
    'memory',
    `${selector(m.memory, { [m.serviceLabel]: slo.service })} > ${promNumber(slo.memoryBytes)}`,
    `${slo.service}: resident memory is {{ $value | humanize1024 }}B`,
    `${slo.service} on {{ $labels.instance }} uses more than ${promNumber(Math.round((slo.memoryBytes / 1048576) * 10) / 10)} MiB of resident memory.`,
  );
}
