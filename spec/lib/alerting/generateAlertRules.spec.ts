import { parse } from 'yaml';
import {
  ALERT_NAMES,
  buildAlertRules,
  generateAlertRules,
  ObservabilityConfigError,
  type AlertRuleFile,
} from '../../../index';

function rulesOf(
  file: AlertRuleFile,
  group: number,
): Record<string, { expr: string; for?: string; labels: Record<string, string> }> {
  return Object.fromEntries(file.groups[group].rules.flatMap((r) => ('alert' in r ? [[r.alert, r]] : [])));
}

describe('generateAlertRules', () => {
  it('writes one group per service with the six alerts, each with its SLO threshold, for and severity', () => {
    const yaml = generateAlertRules({
      services: [
        {
          service: 'orders',
          errorRatio: 0.02,
          latencyP95Seconds: 0.3,
          latencyP99Seconds: 1.5,
          memoryBytes: 1e9,
        },
        { service: 'users', job: 'users-k8s' },
      ],
      for: { errorRatio: '1m' },
    });
    const file = parse(yaml) as AlertRuleFile;
    expect(file.groups.map((g) => g.name)).toEqual([
      'express-observability.orders',
      'express-observability.users',
    ]);
    const orders = rulesOf(file, 0);
    // Without objectives: the threshold alerts, and no SLO rules.
    expect(Object.keys(orders).sort()).toEqual(
      Object.values(ALERT_NAMES)
        .filter((n) => n !== 'SLOMetricAbsent')
        .sort(),
    );
    expect(file.groups[0].rules.some((r) => 'record' in r)).toBe(false);
    expect(orders.HighErrorRatio.expr).toBe(
      '(sum by (service) (rate(http_requests_total{service="orders",status_code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total{service="orders"}[5m]))) > 0.02',
    );
    expect(orders.HighErrorRatio.for).toBe('1m');
    expect(orders.HighErrorRatio.labels).toEqual({ severity: 'critical', service: 'orders' });
    expect(orders.HighLatencyP95.expr).toBe(
      'histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket{service="orders"}[5m]))) > 0.3',
    );
    expect(orders.HighLatencyP99.expr).toContain('histogram_quantile(0.99,');
    expect(orders.HighLatencyP99.expr).toMatch(/> 1\.5$/);
    expect(orders.HighMemoryUsage.expr).toBe('process_resident_memory_bytes{service="orders"} > 1000000000');
    expect(orders.HealthCheckFailing.expr).toBe('health_check_status{service="orders"} < 1');
    const users = rulesOf(file, 1);
    expect(users.InstanceDown.expr).toBe('up{job="users-k8s"} == 0');
    expect(users.HighErrorRatio.expr).toMatch(/> 0\.05$/);
    expect(users.HighLatencyP95.for).toBe('10m');
    expect(users.InstanceDown.labels.severity).toBe('critical');
    expect(users.HighMemoryUsage.labels.severity).toBe('warning');
  });

  it('follows the metrics prefix, other series names, a minimum request rate and per-service overrides', () => {
    const file = buildAlertRules({
      prefix: 'shop_',
      metrics: { statusLabel: 'http_response_status_code', serviceLabel: 'app' },
      window: '10m',
      services: [
        {
          service: 'orders',
          minRequestRate: 0.5,
          window: '2m',
          for: { healthCheck: '30s' },
          severity: { memory: 'page' },
        },
      ],
    });
    const r = rulesOf(file, 0);
    expect(r.HighErrorRatio.expr).toBe(
      '(sum by (app) (rate(shop_http_requests_total{app="orders",http_response_status_code=~"5.."}[2m])) / sum by (app) (rate(shop_http_requests_total{app="orders"}[2m]))) > 0.05 and sum by (app) (rate(shop_http_requests_total{app="orders"}[2m])) > 0.5',
    );
    expect(r.HighLatencyP95.expr).toContain('shop_http_request_duration_seconds_bucket{app="orders"}[2m]');
    expect(r.HealthCheckFailing.expr).toBe('shop_health_check_status{app="orders"} < 1');
    expect(r.HealthCheckFailing.for).toBe('30s');
    expect(r.HighMemoryUsage.labels.severity).toBe('page');
  });

  it('escapes label values so an odd service name cannot break the expression', () => {
    const r = rulesOf(buildAlertRules({ services: [{ service: 'a"b\\c' }] }), 0);
    expect(r.HealthCheckFailing.expr).toBe('health_check_status{service="a\\"b\\\\c"} < 1');
  });

  it.each([
    [{ services: [] }, 'alerting.services'],
    [{ services: [{ service: '' }] }, 'alerting.services[0].service'],
    [{ services: [{ service: 'a' }, { service: 'a' }] }, 'alerting.services[1].service'],
    [{ services: [{ service: 'a', errorRatio: 5 }] }, 'alerting.services[0].errorRatio'],
    [{ services: [{ service: 'a', latencyP95Seconds: 0 }] }, 'alerting.services[0].latencyP95Seconds'],
    [{ services: [{ service: 'a', for: { memory: '5 minutes' } }] }, 'alerting.services[0].for.memory'],
    [{ services: [{ service: 'a', for: { cpu: '5m' } }] }, 'alerting.services[0].for.cpu'],
    [{ services: [{ service: 'a' }], window: 'five' }, 'alerting.window'],
    [{ services: [{ service: 'a' }], prefix: '1x' }, 'alerting.prefix'],
    [
      { services: [{ service: 'a' }], metrics: { statusLabel: 'status-code' } },
      'alerting.metrics.statusLabel',
    ],
  ])('rejects %j naming %s', (options, option) => {
    let thrown: unknown;
    try {
      generateAlertRules(options as never);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ObservabilityConfigError);
    expect((thrown as ObservabilityConfigError).option).toBe(option);
    expect((thrown as Error).message).toContain('expected');
  });
});
