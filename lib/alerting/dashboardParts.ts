import { promNumber } from './promql';

/** The dashboard's Prometheus data source, a template variable. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** A panel before it gets its id. */
export type Draft = Record<string, unknown> & { readonly type: string; readonly title: string };

/**
 * A time series panel. `threshold` draws dashed lines: one number is the SLO line the alert
 * fires above (green below, red above); a list gives each step's colour.
 */
export function timeseries(
  title: string,
  unit: string,
  gridPos: object,
  targets: object[],
  threshold?: number | Array<[string, number | null]>,
): Draft {
  const list: Array<[string, number | null]> | undefined =
    typeof threshold === 'number'
      ? [
          ['green', null],
          ['red', threshold],
        ]
      : threshold;
  return {
    type: 'timeseries',
    title,
    datasource: DATASOURCE,
    gridPos,
    targets,
    fieldConfig: {
      defaults: {
        unit,
        ...(list === undefined
          ? {}
          : { thresholds: steps(list), custom: { thresholdsStyle: { mode: 'dashed' } } }),
      },
      overrides: [],
    },
  };
}

/** One query of a panel. */
export function target(expr: string, legendFormat: string): object {
  return { datasource: DATASOURCE, expr, legendFormat, refId: legendFormat.replace(/\W/g, '') || 'A' };
}

/** Absolute threshold steps, colour from each value on. */
export function steps(list: Array<[string, number | null]>): object {
  return {
    mode: 'absolute',
    steps: list.map(([color, value]) => ({
      color,
      value: value === null ? null : Number(promNumber(value)),
    })),
  };
}
