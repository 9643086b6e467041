import type { ResolvedAlertingOptions, ResolvedServiceSlo } from './alertingOptions';
import { sloTargets, type SloTarget } from './buildSloRules';
import { DATASOURCE, steps, target, timeseries, type Draft } from './dashboardParts';
import { promNumber, selector } from './promql';
import { BUDGET_REMAINING_RECORD, errorRatioRecord } from './sloRecordNames';

const HEIGHT = 7;

/** Height of a service's SLO panels on the grid: one line per objective. */
export function sloPanelsHeight(slo: ResolvedServiceSlo): number {
  return sloTargets(slo).length * HEIGHT;
}

/**
 * Per objective of one service, one line of three panels read from the recording rules:
 * the error budget left over the period, the burn rate over each alert window (dashed
 * lines at the page and ticket factors), and the SLI over time with its objective line.
 */
export function sloPanels(o: ResolvedAlertingOptions, slo: ResolvedServiceSlo, y: number): Draft[] {
  return sloTargets(slo).flatMap((t, i) => line(o, slo, t, y + i * HEIGHT));
}

function line(o: ResolvedAlertingOptions, slo: ResolvedServiceSlo, t: SloTarget, y: number): Draft[] {
  const labels = { [o.metrics.serviceLabel]: slo.service, slo: t.kind };
  const ratio = (w: string): string => selector(errorRatioRecord(w), labels);
  const name = t.kind === 'availability' ? 'Availability' : 'Latency';
  const windows = o.slo.burnWindows;
  // The long windows, plus the shortest one: what burns right now.
  const burnWindows = [...new Set([windows[0].short, ...windows.map((w) => w.long)])];
  const factors = [...new Set(windows.map((w) => w.factor))].sort((a, b) => a - b);
  const colours = ['yellow', 'orange', 'red', 'dark-red'];
  return [
    {
      type: 'stat',
      title: `${name} SLO: error budget left (${o.slo.period})`,
      description: `Objective: ${t.promise}. 100% is untouched, 0 spent, below 0 overspent.`,
      datasource: DATASOURCE,
      gridPos: { x: 0, y, w: 6, h: HEIGHT },
      targets: [target(selector(BUDGET_REMAINING_RECORD, labels), 'budget left')],
      options: { reduceOptions: { calcs: ['lastNotNull'] }, colorMode: 'background', graphMode: 'area' },
      fieldConfig: {
        defaults: {
          unit: 'percentunit',
          thresholds: steps([
            ['red', null],
            ['orange', 0],
            ['green', 0.25],
          ]),
        },
        overrides: [],
      },
    },
    timeseries(
      `${name} SLO: burn rate`,
      'x',
      { x: 6, y, w: 9, h: HEIGHT },
      burnWindows.map((w) => target(`${ratio(w)} / ${promNumber(t.budget)}`, w)),
      [['green', null], ...factors.map((f, i): [string, number] => [colours[i] ?? 'red', f])],
    ),
    timeseries(
      `${name} SLO: SLI against ${promNumber(t.objective * 100)}%`,
      'percentunit',
      { x: 15, y, w: 9, h: HEIGHT },
      [
        target(`1 - ${ratio(windows[0].short)}`, windows[0].short),
        target(`1 - ${ratio(o.slo.period)}`, o.slo.period),
      ],
      [
        ['red', null],
        ['green', t.objective],
      ],
    ),
  ];
}
