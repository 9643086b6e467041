import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateAlertmanagerConfig, ObservabilityConfigError } from '../../../index';

/** Runs the real amtool (Debian package prometheus-alertmanager); a missing one fails the test. */
function amtool(args: string[]): Promise<{ code: number; output: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile('amtool', args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('amtool is not installed: install the Debian package "prometheus-alertmanager"'));
        return;
      }
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
        output: `${stdout}${stderr}`,
        stdout,
      });
    });
  });
}

describe('generateAlertmanagerConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'alertmanager-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const yaml = generateAlertmanagerConfig({
    pageWebhookUrl: 'http://127.0.0.1:9095/alerts/page',
    ticketWebhookUrl: 'http://127.0.0.1:9095/alerts/ticket',
    groupWait: '1s',
  });

  it('routes page and ticket alerts to their webhooks, the rest to the default, and passes amtool check-config', async () => {
    const config = parse(yaml);
    expect(config.route).toMatchObject({
      receiver: 'default',
      group_by: ['alertname', 'service', 'slo', 'severity'],
      group_wait: '1s',
      group_interval: '5m',
      routes: [
        { receiver: 'page', matchers: ['severity="page"'] },
        { receiver: 'ticket', matchers: ['severity="ticket"'] },
      ],
    });
    const urls = Object.fromEntries(
      config.receivers.map((r: any) => [r.name, r.webhook_configs.map((w: any) => [w.url, w.send_resolved])]),
    );
    expect(urls).toEqual({
      default: [['http://127.0.0.1:9095/alerts/ticket', true]],
      page: [['http://127.0.0.1:9095/alerts/page', true]],
      ticket: [['http://127.0.0.1:9095/alerts/ticket', true]],
    });
    writeFileSync(join(dir, 'alertmanager.yml'), yaml);
    const r = await amtool(['check-config', join(dir, 'alertmanager.yml')]);
    expect(r.output).toContain('SUCCESS');
    expect(r.output).toContain(' - 3 receivers');
    expect(r.code).toBe(0);
  });

  it('routes by severity as Alertmanager itself resolves the routes (amtool config routes test)', async () => {
    const file = join(dir, 'alertmanager.yml');
    writeFileSync(file, yaml);
    const route = async (labels: string[]): Promise<string> =>
      (await amtool(['config', 'routes', 'test', `--config.file=${file}`, ...labels])).stdout.trim();
    expect(await route(['alertname=ErrorBudgetBurn', 'severity=page', 'service=a', 'slo=availability'])).toBe(
      'page',
    );
    expect(await route(['alertname=ErrorBudgetBurn', 'severity=ticket'])).toBe('ticket');
    expect(await route(['alertname=InstanceDown', 'severity=critical'])).toBe('default');
  });

  it('would report a broken config: the check is real', async () => {
    writeFileSync(join(dir, 'broken.yml'), yaml.replace('receiver: ticket', 'receiver: nobody'));
    const r = await amtool(['check-config', join(dir, 'broken.yml')]);
    expect(r.output).toContain('undefined receiver "nobody"');
    expect(r.code).not.toBe(0);
  });

  it.each([
    [{}, 'alertmanager.pageWebhookUrl'],
    [{ pageWebhookUrl: 'localhost:9095' }, 'alertmanager.pageWebhookUrl'],
    [{ pageWebhookUrl: 'http://a/b', groupWait: 'soon' }, 'alertmanager.groupWait'],
    [{ pageWebhookUrl: 'http://a/b', groupBy: ['bad-label'] }, 'alertmanager.groupBy'],
  ])('rejects %j naming %s', (options, option) => {
    expect(() => generateAlertmanagerConfig(options as never)).toThrow(ObservabilityConfigError);
    try {
      generateAlertmanagerConfig(options as never);
    } catch (e) {
      expect((e as ObservabilityConfigError).option).toBe(option);
    }
  });
});
