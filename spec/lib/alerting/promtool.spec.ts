import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ALERT_NAMES, ERROR_BUDGET_BURN, generateAlertRules, generateDashboard } from '../../../index';
import { demoAlerting } from '../../../demo-app/alerting/demoAlerting';
import { runPromtool } from './runPromtool';
import { otelAlerting } from './otel/otelAlerting';
import { thresholdAlerting } from './threshold/thresholdAlerting';

const dir = join(__dirname, '../../../demo-app/alerting');
const thresholdDir = join(__dirname, 'threshold');
const DEMO_TESTS = ['alerts.test.yml', 'alerts.threeDays.test.yml'];

interface RuleTest {
  alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }>;
}

describe('generated rules under promtool', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'alerting-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('the committed demo rules and dashboard are what `npm run alerts` writes today', () => {
    // Compared as data, so `npm run format` reflowing the files does not matter.
    expect(parse(readFileSync(join(dir, 'alerts.yml'), 'utf8'))).toEqual(
      parse(generateAlertRules(demoAlerting)),
    );
    const dashboard = JSON.parse(readFileSync(join(dir, 'dashboard.json'), 'utf8'));
    expect(dashboard).toEqual(generateDashboard({ ...demoAlerting, title: 'Demo shop: SLOs, RED and health' }));
  });

  it('promtool check rules accepts the demo rules', async () => {
    const r = await runPromtool(['check', 'rules', join(dir, 'alerts.yml')]);
    // 27 per service: 9 recording rules and 3 alerts per objective, InstanceDown, HealthCheckFailing, HighMemoryUsage.
    expect(r.output).toContain('SUCCESS: 108 rules found');
    expect(r.code).toBe(0);
  });

  it.each([
    ['the otel preset', { preset: 'otel' as const }, 44],
    // 5m and 30m both become 5 s, 1h is the period: 7 recording rules per objective, not 9.
    ['a one-hour period with 5 s windows', { period: '1h', minWindow: '5s' }, 38],
    ['a prefix and another service label', { prefix: 'shop_', metrics: { serviceLabel: 'app' } }, 44],
  ])('promtool check rules accepts SLO rules for %s', async (name, extra, count) => {
    const file = join(tmp, `slo-${name.replace(/\W/g, '')}.yml`);
    writeFileSync(
      file,
      generateAlertRules({
        ...extra,
        services: [
          { service: 'a', availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.5 } },
          { service: 'b', availability: 0.99 },
        ],
      }),
    );
    const r = await runPromtool(['check', 'rules', file]);
    // a: 9 + 3 per objective and 3 per instance; b: 9 + 3 and 3, plus HighLatencyP95/P99.
    expect(r.output).toContain(`SUCCESS: ${count} rules found`);
    expect(r.code).toBe(0);
  });

  it('promtool check rules accepts rules with a prefix, other label names and an odd service name', async () => {
    const file = join(tmp, 'custom.yml');
    writeFileSync(
      file,
      generateAlertRules({
        prefix: 'shop_',
        metrics: { statusLabel: 'http_response_status_code' },
        services: [
          { service: 'we"ird\\name', minRequestRate: 1, window: '30s', for: { instanceDown: '0s' } },
        ],
      }),
    );
    const r = await runPromtool(['check', 'rules', file]);
    expect(r.output).toContain('SUCCESS: 6 rules found');
    expect(r.code).toBe(0);
  });

  it('the unit tests cover every alert both firing and not firing, and promtool test rules passes them', async () => {
    const read = (file: string): RuleTest[] =>
      (parse(readFileSync(file, 'utf8')) as { tests: RuleTest[] }).tests;
    const tests = [
      ...DEMO_TESTS.flatMap((f) => read(join(dir, f))),
      ...read(join(thresholdDir, 'thresholdAlerts.test.yml')),
    ];
    const cases = tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const name of [...Object.values(ALERT_NAMES), ERROR_BUDGET_BURN]) {
      expect({ name, firing: cases.some((c) => c.alertname === name && c.exp_alerts.length > 0) }).toEqual({
        name,
        firing: true,
      });
      expect({ name, quiet: cases.some((c) => c.alertname === name && c.exp_alerts.length === 0) }).toEqual({
        name,
        quiet: true,
      });
    }
    for (const file of DEMO_TESTS) {
      const demo = await runPromtool(['test', 'rules', file], dir);
      expect(demo.output).toContain('SUCCESS');
      expect(demo.code).toBe(0);
    }
    // Services without objectives: the threshold alerts, on rules written next to a copy of their tests.
    writeFileSync(join(tmp, 'thresholdAlerts.yml'), generateAlertRules(thresholdAlerting));
    copyFileSync(join(thresholdDir, 'thresholdAlerts.test.yml'), join(tmp, 'thresholdAlerts.test.yml'));
    const threshold = await runPromtool(['test', 'rules', 'thresholdAlerts.test.yml'], tmp);
    expect(threshold.output).toContain('SUCCESS');
    expect(threshold.code).toBe(0);
    // The otel preset's names, on rules written the same way.
    writeFileSync(join(tmp, 'otelAlerts.yml'), generateAlertRules(otelAlerting));
    copyFileSync(join(__dirname, 'otel', 'otelAlerts.test.yml'), join(tmp, 'otelAlerts.test.yml'));
    const otel = await runPromtool(['test', 'rules', 'otelAlerts.test.yml'], tmp);
    expect(otel.output).toContain('SUCCESS');
    expect(otel.code).toBe(0);
  }, 240_000);

  it('promtool test rules fails when a burn expectation is wrong (the SLO tests can fail)', async () => {
    copyFileSync(join(dir, 'alerts.yml'), join(tmp, 'alerts.yml'));
    const doc = parse(readFileSync(join(dir, 'alerts.test.yml'), 'utf8')) as { tests: RuleTest[] };
    // The 4x burn: expecting a page next to its tickets must fail.
    const ticketOnly = doc.tests
      .flatMap((t) => t.alert_rule_test ?? [])
      .find(
        (c) =>
          c.alertname === ERROR_BUDGET_BURN &&
          c.exp_alerts.length > 0 &&
          (c.exp_alerts as Array<{ exp_labels: Record<string, string> }>).every(
            (a) => a.exp_labels.severity === 'ticket',
          ),
      )!;
    const [ticket] = ticketOnly.exp_alerts as Array<{ exp_labels: Record<string, string> }>;
    ticketOnly.exp_alerts = [
      ...ticketOnly.exp_alerts,
      { ...ticket, exp_labels: { ...ticket.exp_labels, severity: 'page' } },
    ];
    // Only the changed test, so promtool does not evaluate the others again.
    doc.tests = doc.tests.filter((t) => t.alert_rule_test?.includes(ticketOnly));
    writeFileSync(join(tmp, 'broken-burn.test.yml'), stringify(doc));
    const r = await runPromtool(['test', 'rules', 'broken-burn.test.yml'], tmp);
    expect(r.output).toContain('alertname: ErrorBudgetBurn');
    expect(r.code).not.toBe(0);
  }, 60_000);

  it('promtool test rules fails when an expectation is wrong (the tests can fail)', async () => {
    copyFileSync(join(dir, 'alerts.yml'), join(tmp, 'alerts.yml'));
    const doc = parse(readFileSync(join(dir, 'alerts.test.yml'), 'utf8')) as { tests: RuleTest[] };
    const firing = doc.tests
      .flatMap((t) => t.alert_rule_test ?? [])
      .find((c) => c.alertname === 'InstanceDown' && c.exp_alerts.length > 0)!;
    firing.exp_alerts = [];
    doc.tests = doc.tests.filter((t) => t.alert_rule_test?.includes(firing));
    writeFileSync(join(tmp, 'broken.test.yml'), stringify(doc));
    const r = await runPromtool(['test', 'rules', 'broken.test.yml'], tmp);
    expect(r.output).toContain('alertname: InstanceDown');
    expect(r.code).not.toBe(0);
  }, 60_000);
});
