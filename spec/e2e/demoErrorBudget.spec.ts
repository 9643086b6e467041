/**
 * End to end: the four demo services, a real Prometheus (scrapes and rule evaluation every
 * second) loaded with the demo's SLO rules on a one-hour period, a real Alertmanager (group
 * wait and interval 1 s) routing by severity to the demo's alert receiver. The payment
 * provider fails: the receiver gets the page of payment-service and of order-service (whose
 * orders fail); the provider recovers: the receiver gets their resolution.
 */
import { generateAlertRules } from '../../index';
import { demoAlerting } from '../../demo-app/alerting/demoAlerting';
import type { ReceivedAlert } from '../../demo-app/alerting/startAlertReceiver';
import { startDemo, type RunningDemo } from '../../demo-app/launcher';
import {
  findMonitoringBinaries,
  startMonitoring,
  type RunningMonitoring,
} from '../../demo-app/monitoring/startMonitoring';
import { DEMO_SERVICES } from '../../demo-app/shared/serviceNames';
import { MemoryTransport } from '../helpers/memoryTransport';
import { freePort, freePortBase } from '../fixtures/demoPorts';
import { waitFor } from '../fixtures/demoPrometheus';
import { placeOrder, registerCustomer } from '../fixtures/demoTraffic';
import { DEMO_LOCK_WAIT_MS, holdDemoLock } from '../helpers/demoLock';

const RULES = generateAlertRules({ ...demoAlerting, period: '1h', minWindow: '5s' });
const PAGED = ['payment-service', 'order-service'];

describe('error-budget alerts from the demo through a real Alertmanager', () => {
  const receiverLogs = new MemoryTransport();
  let demo: RunningDemo | undefined;
  let monitoring: RunningMonitoring | undefined;
  let customerId: string;
  let sending = true;
  let load: Promise<void> | undefined;
  const statuses: number[] = [];

  let releaseDemo: (() => void) | undefined;

  beforeAll(async () => {
    releaseDemo = await holdDemoLock();
    const binaries = findMonitoringBinaries();
    if (!binaries) {
      throw new Error(
        'prometheus and prometheus-alertmanager are required (Debian packages; npm test installs them)',
      );
    }
    const portBase = await freePortBase();
    demo = await startDemo({
      portBase,
      env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', DATABASE_URL: '' },
      onLine: () => undefined,
    });
    monitoring = await startMonitoring({
      binaries,
      targets: DEMO_SERVICES.map(({ name, offset }) => ({ job: name, port: portBase + offset })),
      rules: RULES,
      ports: { prometheus: await freePort(), alertmanager: await freePort(), receiver: 0 },
      interval: '1s',
      groupWait: '1s',
      groupInterval: '1s',
      receiverObservability: { logging: { transports: [receiverLogs] }, metrics: false },
    });
    customerId = await registerCustomer(demo);
    // Steady order traffic, one order at a time, for the whole test.
    load = (async () => {
      while (sending) {
        statuses.push((await placeOrder(demo!, customerId).catch(() => ({ status: 0 }))).status);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
  }, DEMO_LOCK_WAIT_MS + 90_000);

  afterAll(async () => {
    sending = false;
    await load;
    try {
      await monitoring?.stop();
      await demo?.stop(5000);
    } finally {
      releaseDemo?.();
    }
  }, 30_000);

  const query = async (
    expr: string,
  ): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> => {
    const r = await fetch(`${monitoring!.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return ((await r.json()) as { data: { result: any[] } }).data.result;
  };
  const pages = (status: ReceivedAlert['status']): ReceivedAlert[] =>
    monitoring!.receiver.received.filter(
      (a) =>
        a.receiver === 'page' &&
        a.status === status &&
        a.labels.alertname === 'ErrorBudgetBurn' &&
        a.labels.slo === 'availability' &&
        a.labels.severity === 'page',
    );

  it('pages payment-service and order-service when the provider fails, and resolves both when it recovers', async () => {
    // Healthy first: the recorded ratios are there and nothing burns.
    await waitFor('recorded availability ratios of both services at 0', 30_000, async () => {
      const samples = await query('slo:error_ratio:rate5s{slo="availability"}');
      const zero = PAGED.every((s) =>
        samples.some((x) => x.metric.service === s && Number(x.value[1]) === 0),
      );
      return zero ? true : undefined;
    });
    expect(pages('firing')).toEqual([]);

    const switchedOn = Date.now();
    const on = await fetch(`${demo!.services['payment-service'].url}/admin/failure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'error' }),
    });
    expect(on.status).toBe(200);
    const fired = await waitFor('pages of both services at the receiver', 45_000, async () => {
      const got = PAGED.map((s) => pages('firing').find((a) => a.labels.service === s));
      return got.every(Boolean) ? (got as ReceivedAlert[]) : undefined;
    });
    const toPage = fired.map((a) => a.receivedAt - switchedOn);
    for (const a of fired) {
      expect(a.labels).toEqual({
        alertname: 'ErrorBudgetBurn',
        service: a.labels.service,
        slo: 'availability',
        severity: 'page',
      });
      expect(a.annotations.summary).toMatch(
        new RegExp(`^${a.labels.service} availability SLO: error budget burning at \\d+\\.\\dx \\(page\\)$`),
      );
      expect(a.annotations.description).toMatch(
        /It fires \(page\) when 5s burns above 14\.4x, or both 30s and 5s burn above 6x/,
      );
      expect(a.annotations.description).toMatch(
        /Now: 5s \d+\.\dx, 30s \d+\.\dx\. Budget left over 1h: -?[\d.e+]+%\./,
      );
    }
    // The receiver logged each as one structured line.
    const logged = receiverLogs.entries.filter(
      (e) => e.message === 'alert received' && e.receiver === 'page',
    );
    for (const s of PAGED) {
      expect(logged).toContainEqual(
        expect.objectContaining({
          service: 'alert-receiver',
          status: 'firing',
          labels: { alertname: 'ErrorBudgetBurn', service: s, slo: 'availability', severity: 'page' },
        }),
      );
    }
    // And the receiver's console shows them in its logs view.
    const consoleLogs = (await (
      await fetch(
        `${monitoring!.receiver.url}/observability/api/logs?q=${encodeURIComponent('"receiver":"page"')}`,
      )
    ).json()) as { records: Array<{ status: string; labels: Record<string, string> }> };
    for (const s of PAGED) {
      expect(consoleLogs.records).toContainEqual(
        expect.objectContaining({
          status: 'firing',
          labels: expect.objectContaining({ service: s, severity: 'page' }),
        }),
      );
    }
    expect(statuses).toContain(502);

    const switchedOff = Date.now();
    const off = await fetch(`${demo!.services['payment-service'].url}/admin/failure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'off' }),
    });
    expect(off.status).toBe(200);
    const resolved = await waitFor('resolution of both pages at the receiver', 45_000, async () => {
      const got = PAGED.map((s) => pages('resolved').find((a) => a.labels.service === s));
      return got.every(Boolean) ? (got as ReceivedAlert[]) : undefined;
    });
    const toResolve = resolved.map((a) => a.receivedAt - switchedOff);
    for (const a of resolved) expect(Date.parse(a.endsAt)).toBeGreaterThan(Date.parse(a.startsAt));
    expect(
      receiverLogs.entries.filter(
        (e) => e.message === 'alert received' && e.status === 'resolved' && e.receiver === 'page',
      ),
    ).toHaveLength(pages('resolved').length);
    // Orders succeed again.
    expect(statuses[statuses.length - 1]).toBe(201);
    process.stdout.write(
      `error-budget e2e: switch-on to page at the receiver ${PAGED.map((s, i) => `${s} ${toPage[i]} ms`).join(', ')}; ` +
        `switch-off to resolution ${PAGED.map((s, i) => `${s} ${toResolve[i]} ms`).join(', ')}\n`,
    );
  }, 100_000);
});
