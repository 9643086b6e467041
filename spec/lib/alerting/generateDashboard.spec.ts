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

describe('generateDashboard with objectives', () => {
  const dashboard = generateDashboard({
    period: '28d',
    services: [
      { service: 'checkout', availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.5 } },
      { service: 'users' },
    ],
  });
  const exprs = (p: GrafanaPanel): string[] => (p.targets as Array<{ expr: string }>).map((t) => t.expr);
  const byTitle = (title: string): GrafanaPanel => dashboard.panels.find((p) => p.title === title)!;

  it('adds per service and SLO the budget left, the burn rate and the SLI with its objective line', () => {
    const titles = dashboard.panels.map((p) => p.title);
    expect(titles.slice(7, 13)).toEqual([
      'Availability SLO: error budget left (28d)',
      'Availability SLO: burn rate',
      'Availability SLO: SLI against 99.9%',
      'Latency SLO: error budget left (28d)',
      'Latency SLO: burn rate',
      'Latency SLO: SLI against 99%',
    ]);
    // The service without objectives has no SLO panels.
    expect(titles.slice(13)).toEqual(['users', ...titles.slice(1, 7)]);
    expect(exprs(byTitle('Availability SLO: error budget left (28d)'))).toEqual([
      'slo:error_budget_remaining:ratio{service="checkout",slo="availability"}',
    ]);
    // Burn rates over the shortest window and each long window, lines at the four factors.
    const burn = byTitle('Latency SLO: burn rate');
    expect(exprs(burn)).toEqual(
      ['4m40s', '56m', '5h36m', '22h24m', '2d19h12m'].map(
        (w) => `slo:error_ratio:rate${w}{service="checkout",slo="latency"} / 0.01`,
      ),
    );
    const steps = (p: GrafanaPanel) =>
      ((p.fieldConfig as any).defaults.thresholds.steps as Array<{ value: number | null }>).map(
        (s) => s.value,
      );
    expect(steps(burn)).toEqual([null, 1, 3, 6, 14.4]);
    const sli = byTitle('Availability SLO: SLI against 99.9%');
    expect(exprs(sli)).toEqual([
      '1 - slo:error_ratio:rate4m40s{service="checkout",slo="availability"}',
      '1 - slo:error_ratio:rate28d{service="checkout",slo="availability"}',
    ]);
    expect(steps(sli)).toEqual([null, 0.999]);
    // The 5xx ratio panel's line is the objective's budget.
    const errors = dashboard.panels.find((p) => p.title === '5xx ratio')!;
    expect(steps(errors)).toEqual([null, 0.001]);
  });

  it('keeps panels from overlapping with the SLO lines in between', () => {
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      const g = p.gridPos as { x: number; y: number; w: number; h: number };
      for (let x = g.x; x < g.x + g.w; x++)
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });
});
