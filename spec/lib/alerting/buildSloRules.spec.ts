import {
  buildAlertRules,
  generateAlertRules,
  ObservabilityConfigError,
  type AlertingOptions,
  type AlertRule,
  type RecordingRule,
} from '../../../index';

function rules(options: AlertingOptions, group = 0): { records: RecordingRule[]; alerts: AlertRule[] } {
  const all = buildAlertRules(options).groups[group].rules;
  return {
    records: all.filter((r): r is RecordingRule => 'record' in r),
    alerts: all.filter((r): r is AlertRule => 'alert' in r),
  };
}

function burn(alerts: AlertRule[], slo: string, severity: string): AlertRule {
  return alerts.find(
    (a) => a.alert === 'ErrorBudgetBurn' && a.labels.slo === slo && a.labels.severity === severity,
  )!;
}

const checkout: AlertingOptions = {
  services: [
    { service: 'checkout', availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.5 } },
  ],
};

describe('SLO rules: recording rules and ErrorBudgetBurn', () => {
  it('records the error ratio of each SLO over every burn window and the period, and the budget left', () => {
    const { records } = rules(checkout);
    const availability = records.filter((r) => r.labels.slo === 'availability');
    expect(availability.map((r) => r.record)).toEqual([
      'slo:error_ratio:rate5m',
      'slo:error_ratio:rate30m',
      'slo:error_ratio:rate1h',
      'slo:error_ratio:rate2h',
      'slo:error_ratio:rate6h',
      'slo:error_ratio:rate1d',
      'slo:error_ratio:rate3d',
      'slo:error_ratio:rate30d',
      'slo:error_budget_remaining:ratio',
    ]);
    expect(availability[0]).toEqual({
      record: 'slo:error_ratio:rate5m',
      expr: '(sum by (service) (rate(http_requests_total{service="checkout",status_code=~"5.."}[5m])) or sum by (service) (rate(http_requests_total{service="checkout"}[5m])) * 0) / sum by (service) (rate(http_requests_total{service="checkout"}[5m]))',
      labels: { service: 'checkout', slo: 'availability' },
    });
    expect(availability[8].expr).toBe(
      '1 - slo:error_ratio:rate30d{service="checkout",slo="availability"} / 0.001',
    );
    const latency = records.filter((r) => r.labels.slo === 'latency');
    expect(latency).toHaveLength(9);
    expect(latency[2].expr).toBe(
      '1 - sum by (service) (rate(http_request_duration_seconds_bucket{service="checkout",le=~"0\\\\.5"}[1h])) / sum by (service) (rate(http_request_duration_seconds_count{service="checkout"}[1h]))',
    );
    expect(latency[8].expr).toBe('1 - slo:error_ratio:rate30d{service="checkout",slo="latency"} / 0.01');
  });

  it('pages on 1h & 5m above 14.4x or 6h & 30m above 6x, tickets on 1d & 2h above 3x or 3d & 6h above 1x', () => {
    const { alerts } = rules(checkout);
    const r = (w: string, slo = 'availability'): string =>
      `slo:error_ratio:rate${w}{service="checkout",slo="${slo}"}`;
    expect(burn(alerts, 'availability', 'page').expr).toBe(
      `(${r('1h')} / 0.001 > 14.4 and ${r('5m')} / 0.001 > 14.4) or (${r('6h')} / 0.001 > 6 and ${r('30m')} / 0.001 > 6)`,
    );
    expect(burn(alerts, 'availability', 'ticket').expr).toBe(
      `(${r('1d')} / 0.001 > 3 and ${r('2h')} / 0.001 > 3) or (${r('3d')} / 0.001 > 1 and ${r('6h')} / 0.001 > 1)`,
    );
    expect(burn(alerts, 'latency', 'page').expr).toContain(`${r('1h', 'latency')} / 0.01 > 14.4`);
    expect(burn(alerts, 'latency', 'page').labels).toEqual({
      severity: 'page',
      service: 'checkout',
      slo: 'latency',
    });
    expect(burn(alerts, 'latency', 'page').for).toBeUndefined();
    // Objectives replace the threshold alerts they cover; the per-instance ones stay.
    expect(alerts.map((a) => a.alert).sort()).toEqual([
      'ErrorBudgetBurn',
      'ErrorBudgetBurn',
      'ErrorBudgetBurn',
      'ErrorBudgetBurn',
      'HealthCheckFailing',
      'HighMemoryUsage',
      'InstanceDown',
      'SLOMetricAbsent',
      'SLOMetricAbsent',
    ]);
    const absent = alerts.filter((a) => a.alert === 'SLOMetricAbsent');
    expect(absent.map((a) => a.expr)).toEqual([
      'absent(http_requests_total{service="checkout"})',
      'absent(http_request_duration_seconds_bucket{service="checkout",le=~"0\\\\.5"})',
    ]);
    expect(absent[0]).toMatchObject({
      for: '10m',
      labels: { severity: 'ticket', service: 'checkout', slo: 'availability' },
    });
  });

  it('keeps the threshold alert of an SLO kind a service has no objective for', () => {
    const { alerts } = rules({
      services: [{ service: 'a', latency: { objective: 0.95, thresholdSeconds: 1 } }],
    });
    const names = alerts.map((a) => a.alert);
    expect(names).toContain('HighErrorRatio');
    expect(names).not.toContain('HighLatencyP95');
    expect(names).not.toContain('HighLatencyP99');
    // An integer bucket also matches Prometheus 3's normalised le="1.0".
    expect(alerts.find((a) => a.alert === 'SLOMetricAbsent')!.expr).toBe(
      'absent(http_request_duration_seconds_bucket{service="a",le=~"1(\\\\.0)?"})',
    );
  });

  it("reads the otel preset's names: the duration histogram's count and http_response_status_code", () => {
    const { records } = rules({ ...checkout, preset: 'otel', prefix: 'shop_' });
    expect(records[0].expr).toBe(
      '(sum by (service) (rate(shop_http_server_request_duration_seconds_count{service="checkout",http_response_status_code=~"5.."}[5m])) or sum by (service) (rate(shop_http_server_request_duration_seconds_count{service="checkout"}[5m])) * 0) / sum by (service) (rate(shop_http_server_request_duration_seconds_count{service="checkout"}[5m]))',
    );
    expect(records[9].expr).toContain(
      'shop_http_server_request_duration_seconds_bucket{service="checkout",le=~"0\\\\.5"}[5m]',
    );
    // 0.075 is a bucket of the OTel advice, not of the classic preset.
    expect(() =>
      buildAlertRules({
        preset: 'otel',
        services: [{ service: 'a', latency: { objective: 0.9, thresholdSeconds: 0.075 } }],
      }),
    ).not.toThrow();
    expect(() =>
      buildAlertRules({ services: [{ service: 'a', latency: { objective: 0.9, thresholdSeconds: 0.075 } }] }),
    ).toThrow(ObservabilityConfigError);
  });

  it('scales the windows with the period so each condition spends the same budget share', () => {
    const week = rules({ ...checkout, period: '7d' });
    expect(burn(week.alerts, 'availability', 'page').expr).toBe(
      '(slo:error_ratio:rate14m{service="checkout",slo="availability"} / 0.001 > 14.4 and slo:error_ratio:rate1m10s{service="checkout",slo="availability"} / 0.001 > 14.4) or (slo:error_ratio:rate1h24m{service="checkout",slo="availability"} / 0.001 > 6 and slo:error_ratio:rate7m{service="checkout",slo="availability"} / 0.001 > 6)',
    );
    expect(week.records.map((r) => r.record)).toContain('slo:error_ratio:rate7d');
    // One hour with 5 s windows at least: the 1h & 5m condition becomes 5s & 5s (14.4 x 5s is
    // 2 % of an hour), the others 30s & 5s, 2m & 10s, 6m & 30s.
    const hour = rules({ ...checkout, period: '1h', minWindow: '5s' });
    const page = burn(hour.alerts, 'availability', 'page').expr;
    expect(page).toContain('rate5s{service="checkout",slo="availability"} / 0.001 > 14.4 and');
    expect(page).toContain('rate30s{service="checkout",slo="availability"} / 0.001 > 6 and');
    // Windows raised to the same length read as one in the annotation.
    const description = burn(hour.alerts, 'availability', 'page').annotations.description;
    expect(description).toContain(
      'It fires (page) when 5s burns above 14.4x, or both 30s and 5s burn above 6x',
    );
    expect(description.match(/rate5s\{/g)).toHaveLength(1);
    expect(burn(hour.alerts, 'availability', 'ticket').expr).toBe(
      '(slo:error_ratio:rate2m{service="checkout",slo="availability"} / 0.001 > 3 and slo:error_ratio:rate10s{service="checkout",slo="availability"} / 0.001 > 3) or (slo:error_ratio:rate6m{service="checkout",slo="availability"} / 0.001 > 1 and slo:error_ratio:rate30s{service="checkout",slo="availability"} / 0.001 > 1)',
    );
    // A long window raised to minWindow gets a lower factor: 2 % of an hour in 10s is 7.2x.
    const raised = burn(
      rules({ ...checkout, period: '1h', minWindow: '10s' }).alerts,
      'availability',
      'page',
    ).expr;
    expect(raised).toContain(
      'slo:error_ratio:rate10s{service="checkout",slo="availability"} / 0.001 > 7.2 and',
    );
  });

  it('says which windows burn, how fast and how much budget is left in the annotations', () => {
    const page = burn(rules(checkout).alerts, 'availability', 'page');
    expect(page.annotations.summary).toBe(
      'checkout availability SLO: error budget burning at {{ printf "%.1f" $value }}x (page)',
    );
    expect(page.annotations.description).toContain(
      'both 1h and 5m burn above 14.4x, or both 6h and 30m burn above 6x',
    );
    expect(page.annotations.description).toContain(
      '1h {{ with query "slo:error_ratio:rate1h{service=\\"checkout\\",slo=\\"availability\\"} / 0.001" }}{{ . | first | value | printf "%.1f" }}{{ else }}n/a{{ end }}x',
    );
    expect(page.annotations.description).toContain(
      'Budget left over 30d: {{ with query "slo:error_budget_remaining:ratio',
    );
  });

  it.each([
    [
      { services: [{ service: 'a', availability: 1 }] },
      'alerting.services[0].availability',
      'between 0 and 1',
    ],
    [
      { services: [{ service: 'a', availability: 0 }] },
      'alerting.services[0].availability',
      'between 0 and 1',
    ],
    [
      { services: [{ service: 'a', availability: '99.9' }] },
      'alerting.services[0].availability',
      'between 0 and 1',
    ],
    [
      { services: [{ service: 'a', latency: { objective: 1.5, thresholdSeconds: 0.5 } }] },
      'alerting.services[0].latency.objective',
      'between 0 and 1',
    ],
    [{ services: [{ service: 'a', latency: 0.5 }] }, 'alerting.services[0].latency', 'thresholdSeconds'],
    [
      { services: [{ service: 'a', latency: { objective: 0.99, thresholdSeconds: 0.3 } }] },
      'alerting.services[0].latency.thresholdSeconds',
      "one of the duration histogram's buckets (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)",
    ],
    [
      {
        durationBuckets: [0.1, 0.3],
        services: [{ service: 'a', latency: { objective: 0.99, thresholdSeconds: 0.5 } }],
      },
      'alerting.services[0].latency.thresholdSeconds',
      'buckets (0.1, 0.3)',
    ],
    [
      { period: 'a month', services: [{ service: 'a', availability: 0.99 }] },
      'alerting.period',
      'Prometheus duration',
    ],
    [{ period: '30m', services: [{ service: 'a', availability: 0.99 }] }, 'alerting.period', 'at least 50m'],
    [{ minWindow: '0s', services: [{ service: 'a', availability: 0.99 }] }, 'alerting.minWindow', 'above 0'],
    [{ durationBuckets: [1, 0.5], services: [{ service: 'a' }] }, 'alerting.durationBuckets', 'increasing'],
    [{ preset: 'prom', services: [{ service: 'a' }] }, 'alerting.preset', '"classic", "otel"'],
  ])('rejects %j naming %s', (options, option, accepted) => {
    let thrown: unknown;
    try {
      generateAlertRules(options as never);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ObservabilityConfigError);
    expect((thrown as ObservabilityConfigError).option).toBe(option);
    expect((thrown as Error).message).toContain(accepted);
  });
});
