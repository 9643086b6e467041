import {
  resolveAlertingOptions,
  type AlertingOptions,
  type ResolvedAlertingOptions,
  type ResolvedServiceSlo,
} from './alertingOptions';
import { DATASOURCE, steps, target, timeseries, type Draft } from './dashboardParts';
import { selector } from './promql';
import { sloPanels, sloPanelsHeight } from './sloPanels';

/** Options of {@link generateDashboard}: the alerting options plus the dashboard's title and uid. */
export interface DashboardOptions extends AlertingOptions {
  /** Dashboard title. Default: `Services: RED and health`. */
  readonly title?: string;
  /** Grafana uid, stable across imports. Default: `express-observability`. */
  readonly uid?: string;
}

/** A Grafana dashboard model (the JSON Grafana imports). */
export type GrafanaDashboard = Record<string, unknown> & { readonly panels: readonly GrafanaPanel[] };

/** One panel of the dashboard model. */
export type GrafanaPanel = Record<string, unknown> & {
  readonly id: number;
  readonly type: string;
  readonly title: string;
};

/**
 * A Grafana dashboard with one row per service: request rate by route, 5xx ratio,
 * p50/p95/p99 latency (each with its SLO line), health check status per check,
 * scrape target up, and resident memory; per objective, the error budget left over the
 * period, the burn rates and the SLI against its objective. Import the returned object as JSON.
 */
export function generateDashboard(options: DashboardOptions): GrafanaDashboard {
  const resolved = resolveAlertingOptions(options);
  const panels: GrafanaPanel[] = [];
  let id = 1;
  let y = 0;
  for (const slo of resolved.services) {
    for (const p of servicePanels(resolved, slo, y)) panels.push({ ...p, id: id++ });
    for (const p of sloPanels(resolved, slo, y + 15)) panels.push({ ...p, id: id++ });
    y += 15 + sloPanelsHeight(slo);
  }
  return {
    title: options.title ?? 'Services: RED and health',
    uid: options.uid ?? 'express-observability',
    tags: ['express-observability'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: '10s',
    time: { from: 'now-1h', to: 'now' },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
        },
      ],
    },
    annotations: { list: [] },
    panels,
  };
}

function servicePanels(o: ResolvedAlertingOptions, slo: ResolvedServiceSlo, y: number): Draft[] {
  const m = o.metrics;
  const s = { [m.serviceLabel]: slo.service };
  const w = '$__rate_interval';
  const all = `sum by (${m.serviceLabel}) (rate(${selector(m.requests, s)}[${w}]))`;
  const errors = `sum by (${m.serviceLabel}) (rate(${selector(m.requests, { ...s, [m.statusLabel]: '=~5..' })}[${w}]))`;
  const buckets = `sum by (le) (rate(${selector(`${m.duration}_bucket`, s)}[${w}]))`;
  return [
    { type: 'row', title: slo.service, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] },
    timeseries('Requests per second by route', 'reqps', { x: 0, y: y + 1, w: 8, h: 8 }, [
      target(`sum by (route) (rate(${selector(m.requests, s)}[${w}]))`, '{{route}}'),
    ]),
    timeseries(
      '5xx ratio',
      'percentunit',
      { x: 8, y: y + 1, w: 8, h: 8 },
      [target(`${errors} / ${all}`, '5xx')],
      slo.objectives.availability === undefined ? slo.errorRatio : 1 - slo.objectives.availability,
    ),
    timeseries(
      'Latency',
      's',
      { x: 16, y: y + 1, w: 8, h: 8 },
      [
        target(`histogram_quantile(0.5, ${buckets})`, 'p50'),
        target(`histogram_quantile(0.95, ${buckets})`, 'p95'),
        target(`histogram_quantile(0.99, ${buckets})`, 'p99'),
      ],
      slo.objectives.latency?.thresholdSeconds ?? slo.latencyP95Seconds,
    ),
    {
      type: 'stat',
      title: 'Health checks',
      datasource: DATASOURCE,
      gridPos: { x: 0, y: y + 9, w: 10, h: 6 },
      targets: [target(selector(m.healthCheck, s), `{{${m.checkLabel}}}`)],
      options: {
        reduceOptions: { calcs: ['lastNotNull'] },
        colorMode: 'background',
        textMode: 'value_and_name',
      },
      fieldConfig: {
        defaults: {
          mappings: [
            {
              type: 'value',
              options: { '1': { text: 'healthy', color: 'green' }, '0': { text: 'failing', color: 'red' } },
            },
            {
              type: 'range',
              options: { from: 0.01, to: 0.99, result: { text: 'degraded', color: 'orange' } },
            },
          ],
        },
        overrides: [],
      },
    },
    {
      type: 'stat',
      title: 'Targets up',
      datasource: DATASOURCE,
      gridPos: { x: 10, y: y + 9, w: 4, h: 6 },
      targets: [target(`sum(${selector('up', { job: slo.job })})`, 'up')],
      options: { reduceOptions: { calcs: ['lastNotNull'] }, colorMode: 'background' },
      fieldConfig: {
        defaults: {
          thresholds: steps([
            ['red', null],
            ['green', 1],
          ]),
        },
        overrides: [],
      },
    },
    timeseries(
      'Resident memory',
      'bytes',
      { x: 14, y: y + 9, w: 10, h: 6 },
      [target(selector(m.memory, s), '{{instance}}')],
      slo.memoryBytes,
    ),
  ];
}
