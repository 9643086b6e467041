import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ALERT_NAMES, generateAlertRules, generateDashboard } from '../../../index';
import { demoAlerting } from '../../../demo-app/alerting/demoAlerting';
import { runPromtool } from './runPromtool';

const dir = join(__dirname, '../../../demo-app/alerting');

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
    expect(dashboard).toEqual(generateDashboard({ ...demoAlerting, title: 'Demo shop: RED and health' }));
  });

  it('promtool check rules accepts the demo rules', async () => {
    const r = await runPromtool(['check', 'rules', join(dir, 'alerts.yml')]);
    expect(r.output).toContain('SUCCESS: 24 rules found');
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
    const tests = (parse(readFileSync(join(dir, 'alerts.test.yml'), 'utf8')) as { tests: RuleTest[] }).tests;
    const cases = tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const name of Object.values(ALERT_NAMES)) {
      expect({ name, firing: cases.some((c) => c.alertname === name && c.exp_alerts.length > 0) }).toEqual({
        name,
        firing: true,
      });
      expect({ name, quiet: cases.some((c) => c.alertname === name && c.exp_alerts.length === 0) }).toEqual({
        name,
        quiet: true,
      });
    }
    const r = await runPromtool(['test', 'rules', 'alerts.test.yml'], dir);
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('promtool test rules fails when an expectation is wrong (the tests can fail)', async () => {
    copyFileSync(join(dir, 'alerts.yml'), join(tmp, 'alerts.yml'));
    const doc = parse(readFileSync(join(dir, 'alerts.test.yml'), 'utf8')) as { tests: RuleTest[] };
    const firing = doc.tests
      .flatMap((t) => t.alert_rule_test ?? [])
      .find((c) => c.alertname === 'InstanceDown' && c.exp_alerts.length > 0)!;
    firing.exp_alerts = [];
    writeFileSync(join(tmp, 'broken.test.yml'), stringify(doc));
    const r = await runPromtool(['test', 'rules', 'broken.test.yml'], tmp);
    expect(r.output).toContain('alertname: InstanceDown');
    expect(r.code).not.toBe(0);
  });
});
