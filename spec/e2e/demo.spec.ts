/**
 * End to end: the four demo services as child processes on PostgreSQL (a schema of
 * their own), a real Prometheus scraping them every second with the generated rules,
 * and assertions through Prometheus' HTTP API, the trace routes and the services' logs.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { generateAlertRules } from '../../index';
import { startDemo, type RunningDemo } from '../../demo-app/launcher';
import { DEMO_SERVICES, type DemoServiceName } from '../../demo-app/shared/serviceNames';
import { runTraffic } from '../../demo-app/traffic/runTraffic';
import { freePortBase } from '../fixtures/demoPorts';
import { startPrometheus, waitFor, type PromAlert, type TestPrometheus } from '../fixtures/demoPrometheus';
import {
  expectedRequestCounts,
  placeOrder,
  registerCustomer,
  spansOf,
  type DemoSpan,
} from '../fixtures/demoTraffic';
import { DEMO_LOCK_WAIT_MS, holdDemoLock } from '../helpers/demoLock';

const PG = 'postgres://postgres@127.0.0.1:5432/test';
// Short windows and `for` so alerts fire within seconds of scrapes every second.
const RULES = generateAlertRules({
  window: '10s',
  for: {
    errorRatio: '1s',
    latencyP95: '1s',
    latencyP99: '1s',
    instanceDown: '1s',
    healthCheck: '1s',
    memory: '1s',
  },
  services: DEMO_SERVICES.map(({ name }) => ({ service: name })),
});

describe('demo shop against a real Prometheus', () => {
  const schema = `demo_e2e_${randomBytes(4).toString('hex')}`;
  const logs: Array<{ service: DemoServiceName; line: string }> = [];
  let demo: RunningDemo | undefined;
  let prometheus: TestPrometheus | undefined;
  let customerId: string;
  let releaseDemo: (() => void) | undefined;

  beforeAll(async () => {
    releaseDemo = await holdDemoLock();
    const admin = new Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const portBase = await freePortBase();
    demo = await startDemo({
      portBase,
      env: {
        ...process.env,
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        DATABASE_URL: `${PG}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      },
      onLine: (service, line) => logs.push({ service, line }),
      readyTimeoutMs: 60_000,
    });
    prometheus = await startPrometheus(
      DEMO_SERVICES.map(({ name }) => ({
        job: name,
        port: portBase + DEMO_SERVICES.find((s) => s.name === name)!.offset,
      })),
      RULES,
    );
    customerId = await registerCustomer(demo);
  }, DEMO_LOCK_WAIT_MS + 90_000);

  afterAll(async () => {
    try {
      await prometheus?.stop();
      await demo?.stop(5000);
      const admin = new Client({ connectionString: PG });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    } finally {
      releaseDemo?.();
    }
  }, 30_000);

  it('Prometheus scrapes all four services', async () => {
    const up = await waitFor('all four targets up', 15_000, async () => {
      const samples = await prometheus!.query('up');
      return samples.length === 4 && samples.every((s) => s.value[1] === '1') ? samples : undefined;
    });
    expect(up.map((s) => s.metric.job).sort()).toEqual(DEMO_SERVICES.map((s) => s.name).sort());
  }, 20_000);

  it('request counters in Prometheus equal the requests sent, across all four services', async () => {
    const api = await runTraffic({
      portBase: demo!.portBase,
      sessions: 40,
      durationMs: 20_000,
      concurrency: 4,
      paced: false,
    });
    expect(api.sent.some((r) => r.status === 0)).toBe(false);
    expect(api.sent.filter((r) => r.route === '/orders' && r.status === 201).length).toBeGreaterThan(0);
    // Customer registration in beforeAll went through user-service too.
    const expected = expectedRequestCounts([
      ...api.sent,
      { service: 'user-service', method: 'POST', route: '/users', status: 201 },
    ]);
    const query = 'sum by (service, method, route, status_code) (http_requests_total)';
    let seen: Record<string, number> = {};
    await waitFor('scraped counters to equal the traffic', 15_000, async () => {
      const samples = await prometheus!.query(query);
      seen = Object.fromEntries(
        samples.map((s) => [
          `${s.metric.service} ${s.metric.method} ${s.metric.route} ${s.metric.status_code}`,
          Number(s.value[1]),
        ]),
      );
      return JSON.stringify(sorted(seen)) === JSON.stringify(sorted(expected)) ? true : undefined;
    }).catch(() => undefined);
    expect(sorted(seen)).toEqual(sorted(expected));
  }, 45_000);

  it('placing an order makes one trace across order, user, product and payment, with database spans and logs', async () => {
    const traceId = randomBytes(16).toString('hex');
    const rootSpanId = randomBytes(8).toString('hex');
    const order = await placeOrder(demo!, customerId, { traceparent: `00-${traceId}-${rootSpanId}-01` });
    expect(order.status).toBe(201);

    const spans = await waitFor('spans of the trace in all four services', 10_000, async () => {
      const all = await Promise.all(DEMO_SERVICES.map(({ name }) => spansOf(demo!, name, traceId)));
      return all.every((s) => s.some((span) => span.kind === 'SERVER')) ? all.flat() : undefined;
    });
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
    const server = (service: string): DemoSpan =>
      spans.find((s) => s.service === service && s.kind === 'SERVER')!;
    expect(server('order-service')).toMatchObject({ name: 'POST /orders', parentSpanId: rootSpanId });
    // Each callee's server span is the child of a CLIENT span of order-service's fetch.
    for (const [service, name] of [
      ['user-service', 'GET /users/:id'],
      ['product-service', 'GET /products'],
      ['payment-service', 'POST /payments'],
    ]) {
      const span = server(service);
      expect(span.name).toBe(name);
      const parent = spans.find((s) => s.spanId === span.parentSpanId);
      expect(parent).toMatchObject({ service: 'order-service', kind: 'CLIENT' });
    }
    expect(spans.find((s) => s.name === 'OrderService.place')?.parentSpanId).toBe(
      server('order-service').spanId,
    );
    expect(spans.some((s) => s.service === 'payment-service' && s.name.startsWith('pg.query'))).toBe(true);

    const withTrace = await waitFor(
      'log lines with the trace id from all four services',
      10_000,
      async () => {
        // Parsed, not searched: the access lines of the traces route carry the id in their path.
        const lines = logs
          .filter((l) => l.line.includes(traceId))
          .map((l) => ({ service: l.service, json: JSON.parse(l.line) }))
          .filter((l) => l.json.trace_id === traceId);
        return new Set(lines.map((l) => l.service)).size === 4 ? lines : undefined;
      },
    );
    for (const { service, json } of withTrace) {
      expect(json).toMatchObject({ service, trace_id: traceId });
      expect(typeof json.request_id).toBe('string');
    }
  }, 30_000);

  it('with the payment provider failing, the error-ratio and health alerts fire', async () => {
    const r = await fetch(`${demo!.services['payment-service'].url}/admin/failure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'error' }),
    });
    expect(r.status).toBe(200);
    let sending = true;
    const statuses: number[] = [];
    const load = (async () => {
      while (sending) statuses.push((await placeOrder(demo!, customerId)).status);
    })();
    try {
      const firing = await waitFor('HighErrorRatio and HealthCheckFailing firing', 40_000, async () => {
        const alerts = (await prometheus!.alerts()).filter((a) => a.state === 'firing');
        const wanted = [
          has(alerts, 'HighErrorRatio', { service: 'payment-service' }),
          has(alerts, 'HighErrorRatio', { service: 'order-service' }),
          has(alerts, 'HealthCheckFailing', { service: 'payment-service', check: 'payment-provider' }),
        ];
        return wanted.every(Boolean) ? alerts : undefined;
      });
      expect(firing.length).toBeGreaterThanOrEqual(3);
    } finally {
      sending = false;
      await load;
    }
    expect(new Set(statuses)).toEqual(new Set([502]));
  }, 50_000);

  it("every service's detailed health shows the machine's resources next to its dependencies", async () => {
    for (const { name } of DEMO_SERVICES) {
      const report = (await (await fetch(`${demo!.services[name].url}/health/detailed`)).json()) as {
        checks: Record<string, { critical: boolean; details: Record<string, unknown> }>;
      };
      expect(report.checks.cpu).toMatchObject({ critical: false, details: { maxCpuPercent: 90, loadAverage1m: expect.any(Number) } });
      expect(report.checks.memory).toMatchObject({ critical: false, details: { maxSystemUsedRatio: 0.9, systemUsedRatio: expect.any(Number) } });
      expect(report.checks.disk).toMatchObject({ critical: false, details: { path: '/', minFreeRatio: 0.1, freeBytes: expect.any(Number) } });
    }
  });

  it('with payment-service down, order-service is degraded (ready 200, detailed 503) and InstanceDown fires', async () => {
    await demo!.stopService('payment-service');
    const order = demo!.services['order-service'].url;
    // Waits for the payment check itself: a loaded machine can make the CPU check degrade the
    // report first, while the payment result is still the cached (stale) healthy one.
    const detailed = await waitFor('order-service detailed health 503 with payment-service degraded', 10_000, async () => {
      const res = await fetch(`${order}/health/detailed`);
      if (res.status !== 503) return undefined;
      const body = (await res.json()) as any;
      return body.checks['payment-service']?.status === 'degraded' ? body : undefined;
    });
    expect(detailed.status).toBe('degraded');
    expect(detailed.checks['payment-service']).toMatchObject({ status: 'degraded', critical: false });
    expect(detailed.checks['payment-service'].error).toMatch(/health\/ready/);
    expect(detailed.checks['user-service'].status).toBe('healthy');
    expect(detailed.checks.postgres.status).toBe('healthy');
    expect((await fetch(`${order}/health/ready`)).status).toBe(200);

    await waitFor('InstanceDown and order-service HealthCheckFailing firing', 20_000, async () => {
      const alerts = (await prometheus!.alerts()).filter((a) => a.state === 'firing');
      return has(alerts, 'InstanceDown', { service: 'payment-service', job: 'payment-service' }) &&
        has(alerts, 'HealthCheckFailing', { service: 'order-service', check: 'payment-service' })
        ? true
        : undefined;
    });
  }, 35_000);
});

function has(alerts: PromAlert[], name: string, labels: Record<string, string>): boolean {
  return alerts.some(
    (a) => a.labels.alertname === name && Object.entries(labels).every(([k, v]) => a.labels[k] === v),
  );
}

function sorted(record: Record<string, number>): Array<[string, number]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
