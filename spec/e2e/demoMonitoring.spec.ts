/**
 * The demo's monitoring pieces on their own: the one-line hint when Prometheus or
 * Alertmanager is not installed, and the alert receiver's webhook route over real HTTP.
 */
import { startAlertReceiver, type AlertReceiver } from '../../demo-app/alerting/startAlertReceiver';
import { findMonitoringBinaries } from '../../demo-app/monitoring/startMonitoring';
import { startDemoMonitoring } from '../../demo-app/monitoring/startDemoMonitoring';
import { MemoryTransport } from '../helpers/memoryTransport';

describe('demo monitoring', () => {
  it('finds both binaries here, and without them npm run demo gets a one-line hint and nothing to stop', async () => {
    expect(findMonitoringBinaries()).toEqual({
      prometheus: 'prometheus',
      alertmanager: 'prometheus-alertmanager',
    });
    const env = { PATH: '/nonexistent' };
    expect(findMonitoringBinaries(env)).toBeUndefined();
    const monitoring = await startDemoMonitoring(3000, env);
    expect(monitoring.lines).toEqual([
      '  alerting   install the Debian packages prometheus and prometheus-alertmanager to get both started here',
    ]);
    await expect(monitoring.stop()).resolves.toBeUndefined();
  });

  it('says why when they cannot start (a bad SLO_PERIOD) instead of failing the demo', async () => {
    const monitoring = await startDemoMonitoring(3000, { ...process.env, SLO_PERIOD: 'a month' });
    expect(monitoring.lines).toHaveLength(1);
    expect(monitoring.lines[0]).toContain(
      'Prometheus and Alertmanager did not start: express-observability: option "alerting.period" is "a month"',
    );
  });

  describe('the alert receiver', () => {
    const logs = new MemoryTransport();
    let receiver: AlertReceiver;
    beforeAll(async () => {
      receiver = await startAlertReceiver({
        port: 0,
        observability: { logging: { transports: [logs] }, metrics: false },
      });
    });
    afterAll(() => receiver.stop());

    it('logs each alert of an Alertmanager webhook payload as one line and lists it', async () => {
      const alert = (status: string, service: string) => ({
        status,
        labels: { alertname: 'ErrorBudgetBurn', service, slo: 'availability', severity: 'page' },
        annotations: { summary: `${service} availability SLO: error budget burning at 50.0x (page)` },
        startsAt: '2026-12-03T08:00:00Z',
        endsAt: status === 'resolved' ? '2026-12-03T08:05:00Z' : '0001-01-01T00:00:00Z',
      });
      const r = await fetch(`${receiver.url}/alerts/page`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          version: '4',
          status: 'firing',
          receiver: 'page',
          alerts: [alert('firing', 'a'), alert('resolved', 'b')],
        }),
      });
      expect(r.status).toBe(200);
      // The JSON lines as written.
      const lines = logs.entries
        .filter((e) => e.message === 'alert received')
        .map((e) => JSON.parse(e[Symbol.for('message') as never]));
      expect(lines).toEqual([
        {
          timestamp: expect.any(String),
          level: 'info',
          message: 'alert received',
          service: 'alert-receiver',
          logger: 'alert-receiver',
          receiver: 'page',
          status: 'firing',
          labels: { alertname: 'ErrorBudgetBurn', service: 'a', slo: 'availability', severity: 'page' },
          summary: 'a availability SLO: error budget burning at 50.0x (page)',
          startsAt: '2026-12-03T08:00:00Z',
        },
        expect.objectContaining({
          status: 'resolved',
          labels: expect.objectContaining({ service: 'b' }),
          endsAt: '2026-12-03T08:05:00Z',
        }),
      ]);
      // The receiver's own observability console shows them in its logs view.
      const seen = (await (
        await fetch(`${receiver.url}/observability/api/logs?q=${encodeURIComponent('alert received')}`)
      ).json()) as { service: string; records: Array<Record<string, any>> };
      expect(seen.service).toBe('alert-receiver');
      expect(seen.records.map((r) => [r.status, r.labels.service])).toEqual([
        ['resolved', 'b'],
        ['firing', 'a'],
      ]);
      const listed = (await (await fetch(`${receiver.url}/alerts`)).json()) as {
        alerts: Array<{ status: string }>;
      };
      expect(listed.alerts.map((a) => a.status)).toEqual(['firing', 'resolved']);
    });

    it('answers 400 to a body that is not a webhook payload', async () => {
      const r = await fetch(`${receiver.url}/alerts/page`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hello: 'world' }),
      });
      expect(r.status).toBe(400);
      expect(await r.json()).toEqual({ error: 'expected an Alertmanager webhook payload with alerts[]' });
    });
  });
});
