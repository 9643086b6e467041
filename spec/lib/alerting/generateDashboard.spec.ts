import { generateDashboard, type GrafanaPanel } from '../../../index';

describe('generateDashboard', () => {
  const dashboard = generateDashboard({
    title: 'Shop',
    services: [
      { service: 'orders', errorRatio: 0.02, latencyP95Seconds: 0.4 },
      { service: 'users', job: 'users-job' },
    ],
  });
  const exprs = (p: GrafanaPanel): string[] =>
    ((p.targets as Array<{ expr: string }> | undefined) ?? []).map((t) => t.expr);

  it('has one row per service with RED, health, up and memory panels', () => {
    expect(dashboard.title).toBe('Shop');
    const rows = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual(['orders', 'users']);
    const titles = dashboard.panels.filter((p) => p.type !== 'row').map((p) => p.title);
    expect(titles.slice(0, 6)).toEqual([
      'Requests per second by route',
      '5xx ratio',
      'Latency',
      'Health checks',
      'Targets up',
      'Resident memory',
    ]);
    expect(titles).toHaveLength(12);
  });

  it('queries each service by its own label and job, with the SLO as a threshold', () => {
    const [, rate, errors, latency, health, up] = dashboard.panels;
    expect(exprs(rate)).toEqual([
      'sum by (route) (rate(http_requests_total{service="orders"}[$__rate_interval]))',
    ]);
    expect(exprs(errors)[0]).toContain('status_code=~"5.."');
    expect(exprs(latency)).toHaveLength(3);
    expect(exprs(health)).toEqual(['health_check_status{service="orders"}']);
    expect(exprs(up)).toEqual(['sum(up{job="orders"})']);
    const steps = (errors.fieldConfig as any).defaults.thresholds.steps as Array<{ value: number | null }>;
    expect(steps.map((s) => s.value)).toEqual([null, 0.02]);
    const usersUp = dashboard.panels.filter((p) => p.title === 'Targets up')[1];
    expect(exprs(usersUp)).toEqual(['sum(up{job="users-job"})']);
  });

  it('gives every panel a unique id and a grid position that does not overlap', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      const g = p.gridPos as { x: number; y: number; w: number; h: number };
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++)
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
    expect(JSON.parse(JSON.stringify(dashboard))).toEqual(dashboard);
  });
});
