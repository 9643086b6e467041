/**
 * End to end in a real browser (Debian's chromium driven by playwright-core): the demo's four
 * services on PostgreSQL after bounded traffic, looked at through order-service's console.
 * Screenshots of every view go to artifacts/console/. Starts the demo: run under
 * `flock /tmp/demo-e2e.lock`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { Client } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createObservability, type Observability } from '../../index';
import { startDemo, type RunningDemo } from '../../demo-app/launcher';
import { DEMO_SERVICES } from '../../demo-app/shared/serviceNames';
import { runTraffic } from '../../demo-app/traffic/runTraffic';
import { freePortBase } from '../fixtures/demoPorts';
import { placeOrder, registerCustomer } from '../fixtures/demoTraffic';
import { DEMO_LOCK_WAIT_MS, holdDemoLock } from '../helpers/demoLock';

// The callbacks handed to page.$eval, waitForFunction and addInitScript run in the browser.
declare const document: any;

const PG = 'postgres://postgres@127.0.0.1:5432/test';
const ARTIFACTS = join(__dirname, '../../artifacts/console');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(1)</script>';

/** What the page reported that a user would call a fault: dialogs, console errors, CSP violations, script errors. */
interface Faults {
  readonly dialogs: string[];
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
}

async function openPage(browser: Browser, faults: Faults, headers?: Record<string, string>): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, extraHTTPHeaders: headers });
  page.on('dialog', (d) => {
    faults.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') faults.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => faults.pageErrors.push(e.message));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e: any) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return page;
}

/** GET with a raw path (characters fetch would escape are sent as they are) and extra headers. */
function rawGet(base: string, path: string, headers: Record<string, string>): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the observability console in a browser, on the demo', () => {
  const schema = `console_e2e_${randomBytes(4).toString('hex')}`;
  const faults: Faults = { dialogs: [], consoleErrors: [], pageErrors: [] };
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let consoleUrl: string;
  let customerId: string;

  let releaseDemo: (() => void) | undefined;

  beforeAll(async () => {
    releaseDemo = await holdDemoLock();
    mkdirSync(ARTIFACTS, { recursive: true });
    const admin = new Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    demo = await startDemo({
      portBase: await freePortBase(),
      env: {
        ...process.env,
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        DATABASE_URL: `${PG}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      },
      onLine: () => undefined,
    });
    customerId = await registerCustomer(demo);
    const api = await runTraffic({
      portBase: demo.portBase,
      sessions: 30,
      durationMs: 12_000,
      concurrency: 3,
      paced: false,
    });
    expect(api.sent.length).toBeGreaterThan(30);
    consoleUrl = `${demo.services['order-service'].url}/observability/`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    page = await openPage(browser, faults);
  }, DEMO_LOCK_WAIT_MS + 120_000);

  afterAll(async () => {
    try {
      await browser?.close();
      await demo?.stop(5000);
      const admin = new Client({ connectionString: PG });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    } finally {
      releaseDemo?.();
    }
  }, 30_000);

  afterEach(() => {
    expect(faults).toEqual({ dialogs: [], consoleErrors: [], pageErrors: [] });
  });

  it("the overview shows order-service's health checks and charts that drew the traffic", async () => {
    await page.goto(`${consoleUrl}#/overview`);
    await page.waitForSelector('#checks tr[data-check="payment-service"]');
    const checks = await page.$$eval('#checks tr[data-check]', (rows) =>
      rows.map((r) => r.getAttribute('data-check')),
    );
    expect(checks).toEqual(
      expect.arrayContaining(['postgres', 'user-service', 'product-service', 'payment-service']),
    );
    expect(await page.textContent('#checks tr[data-check="postgres"]')).toMatch(/healthy|degraded/);
    expect(await page.textContent('#info')).toContain('order-service');
    // Each chart has points and its canvas has drawn pixels other than the background.
    await page.waitForFunction(
      () => Number(document.querySelector('#chart-rate')?.getAttribute('data-points')) > 0,
    );
    for (const id of ['chart-rate', 'chart-latency']) {
      expect(Number(await page.getAttribute(`#${id}`, 'data-points'))).toBeGreaterThan(0);
      const inked = await page.$eval(`#${id} canvas`, (canvas: any) => {
        const data: Uint8ClampedArray = canvas
          .getContext('2d')
          .getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n;
      });
      expect(inked).toBeGreaterThan(100);
    }
    expect(await page.textContent('#chart-latency')).toMatch(/ms/);
    await page.screenshot({ path: join(ARTIFACTS, 'overview.png'), fullPage: true });
  }, 60_000);

  it('the routes view lists the templates with rate, errors and latency, and links to their traces', async () => {
    await page.goto(`${consoleUrl}#/routes?sort=requests`);
    await page.waitForSelector('#routes tr[data-route="POST /orders"]');
    const row = await page.textContent('#routes tr[data-route="POST /orders"]');
    expect(row).toMatch(/\/s/);
    expect(row).toMatch(/ms/);
    await page.screenshot({ path: join(ARTIFACTS, 'routes.png'), fullPage: true });
    await page.click('#routes tr[data-route="POST /orders"] a:has-text("slowest")');
    await page.waitForSelector('#traces tr[data-trace]');
    expect(page.url()).toContain('#/traces?route=%2Forders&sort=slowest');
    await page.screenshot({ path: join(ARTIFACTS, 'traces.png'), fullPage: true });
  }, 60_000);

  it("a placed order's trace shows all four services in one waterfall, and its logs come from at least three", async () => {
    const traceId = randomBytes(16).toString('hex');
    const order = await placeOrder(demo!, customerId, {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    });
    expect(order.status).toBe(201);
    await page.goto(`${consoleUrl}#/trace/${traceId}`);
    await page.waitForSelector('#waterfall .wf-row[data-span]');
    const services = await page.$$eval('#waterfall .wf-row[data-span]', (rows) => [
      ...new Set(rows.map((r) => r.getAttribute('data-service'))),
    ]);
    expect(services.sort()).toEqual(DEMO_SERVICES.map((s) => s.name).sort());
    await page.click('#waterfall .wf-row[data-span]:has-text("POST /payments")');
    await page.waitForSelector('#span-detail table.kv');
    expect(await page.textContent('#span-detail')).toContain('http.response.status_code');
    await page.screenshot({ path: join(ARTIFACTS, 'trace.png'), fullPage: true });

    await page.click('a:has-text("logs of this trace")');
    await page.waitForSelector('#logs tr.log-line');
    expect(page.url()).toContain(`#/logs?trace_id=${traceId}`);
    const logServices = await page.$$eval('#logs tr.log-line', (rows) => [
      ...new Set(rows.map((r) => r.getAttribute('data-service'))),
    ]);
    expect(logServices.length).toBeGreaterThanOrEqual(3);
    expect(await page.textContent('#logs')).toContain('order placed');
    await page.screenshot({ path: join(ARTIFACTS, 'logs.png'), fullPage: true });

    // And back: the trace of a log line.
    await page.click('#logs tr.log-line:has-text("order placed") a:has-text("trace")');
    await page.waitForSelector('#waterfall .wf-row[data-span]');
    expect(page.url()).toContain(`#/trace/${traceId}`);
  }, 60_000);

  it('markup in a path, a header and a log line is shown as text: no element, no dialog, no CSP violation', async () => {
    const order = demo!.services['order-service'].url;
    await rawGet(order, '/<img%20src=x%20onerror=alert(1)>', { 'user-agent': IMG });
    await rawGet(order, `/orders/${SCRIPT.replace('/', '%2F')}`, { 'user-agent': SCRIPT });
    await page.goto(`${consoleUrl}#/logs?q=onerror`);
    await page.waitForSelector('#logs tr.log-line');
    expect(await page.textContent('#logs tr.log-line')).toContain('/<img%20src=x%20onerror=alert(1)>');
    await page.click('#logs tr.log-line td.msg');
    expect(await page.textContent('#logs tr.log-full pre')).toContain(IMG);
    await page.goto(`${consoleUrl}#/logs?q=${encodeURIComponent('<script>')}`);
    await page.waitForSelector('#logs tr.log-line');
    expect(await page.textContent('#logs')).toContain('<script>alert(1)');
    await page.click('#logs tr.log-line td.msg');
    expect(await page.textContent('#logs tr.log-full pre')).toContain(SCRIPT);
    // The span of the request, its attributes, in the waterfall.
    await page.click('#logs tr.log-line a:has-text("trace")');
    await page.waitForSelector('#waterfall .wf-row[data-span]');
    await page.click('#waterfall .wf-row[data-span]');
    expect(await page.textContent('#span-detail')).toContain(SCRIPT);
    // Nothing from the data became an element: only the page's own two scripts, no image at all.
    expect(await page.$$eval('script', (s) => s.map((x) => x.getAttribute('src')))).toEqual([
      'assets/uPlot.js',
      'assets/console.js',
    ]);
    expect(await page.$$('img')).toHaveLength(0);
  }, 60_000);

  it('the errors view lists a failed order and the failed method, each with a link to the trace', async () => {
    const failure = (mode: string) =>
      fetch(`${demo!.services['payment-service'].url}/admin/failure`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mode }),
      });
    expect((await failure('error')).status).toBe(200);
    const failed = await placeOrder(demo!, customerId);
    expect((await failure('off')).status).toBe(200);
    expect(failed.status).toBe(502);
    await page.goto(`${consoleUrl}#/errors`);
    await page.waitForSelector('#errors tbody tr');
    const rows = await page.$$eval('#errors tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows.some((r) => r.includes('request') && r.includes('POST /orders') && r.includes('502'))).toBe(
      true,
    );
    expect(rows.some((r) => r.includes('method') && r.includes('OrderService.place'))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'errors.png'), fullPage: true });
    await page.click('#errors tbody tr:has-text("POST /orders") a:has-text("trace")');
    await page.waitForSelector('#waterfall .wf-row[data-span]');
    const services = await page.$$eval('#waterfall .wf-row[data-span]', (r) => [
      ...new Set(r.map((x) => x.getAttribute('data-service'))),
    ]);
    expect(services).toContain('payment-service');
    expect(await page.$$('#waterfall .wf-error')).not.toHaveLength(0);
  }, 60_000);

  it('in production the console is absent by default, and enabled it answers 401 and shows nothing without the token', async () => {
    const instances: Observability[] = [];
    const servers: Server[] = [];
    const serve = async (obs: Observability): Promise<string> => {
      instances.push(obs);
      const app = express();
      app.use(obs.middleware({ routes: true }));
      app.use((_req, res) => res.status(404).json({ error: 'Not Found' }));
      const server = app.listen(0, '127.0.0.1');
      servers.push(server);
      await new Promise((r) => server.once('listening', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/observability/`;
    };
    try {
      const off = await serve(
        createObservability({
          serviceName: 'prod-off',
          environment: 'production',
          global: false,
          logging: { level: 'error' },
        }),
      );
      const token = 'console-e2e-token-0123456789';
      const on = await serve(
        createObservability({
          serviceName: 'prod-on',
          environment: 'production',
          global: false,
          console: { enabled: true },
          health: { token },
          logging: { level: 'error' },
        }),
      );
      const anonymous = await browser!.newPage();
      for (const [url, status] of [
        [off, 404],
        [on, 401],
      ] as const) {
        const res = await anonymous.goto(`${url}#/logs`);
        expect(res!.status()).toBe(status);
        await anonymous.waitForTimeout(300);
        expect(await anonymous.$$('#nav, #main, script')).toHaveLength(0);
        expect(await anonymous.textContent('body')).not.toMatch(/prod-|service|trace/);
      }
      await anonymous.close();
      const authorized = await openPage(browser!, faults, { authorization: `Bearer ${token}` });
      await authorized.goto(`${on}#/overview`);
      await authorized.waitForSelector('#info dd');
      expect(await authorized.textContent('#info')).toContain('prod-on');
      await authorized.close();
    } finally {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      await Promise.all(instances.map((o) => o.shutdown()));
    }
  }, 60_000);
});
