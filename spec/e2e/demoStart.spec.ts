/**
 * `npm run demo` as a user runs it: the starter prints where to look once all four
 * services are ready, and Ctrl-C (SIGINT) stops every service process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { DEMO_SERVICES } from '../../demo-app/shared/serviceNames';
import { freePortBase } from '../fixtures/demoPorts';
import { waitFor } from '../fixtures/demoPrometheus';
import { DEMO_LOCK_WAIT_MS, holdDemoLock } from '../helpers/demoLock';

const ROOT = join(__dirname, '../..');

describe('npm run demo (demo-app/start.ts)', () => {
  let starter: ChildProcess | undefined;
  let releaseDemo: (() => void) | undefined;

  beforeAll(async () => {
    releaseDemo = await holdDemoLock();
  }, DEMO_LOCK_WAIT_MS + 1000);

  afterAll(async () => {
    if (starter && starter.exitCode === null && starter.signalCode === null) {
      // Ctrl-C first, so a failed test still stops the services, Prometheus and Alertmanager.
      const exited = once(starter, 'exit');
      starter.kill('SIGINT');
      const timer = setTimeout(() => starter!.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    releaseDemo?.();
  }, 20_000);

  it('prints the services and where to look, serves all four, and stops them all on Ctrl-C', async () => {
    const portBase = await freePortBase();
    let output = '';
    starter = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'demo-app/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT_BASE: String(portBase), LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    starter.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    starter.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    await waitFor('the banner', 60_000, async () =>
      output.includes('Ctrl-C stops all four.') ? true : undefined,
    );
    for (const { name, offset } of DEMO_SERVICES) {
      expect(output).toContain(`${name.padEnd(16)} http://127.0.0.1:${portBase + offset}`);
      const r = await fetch(`http://127.0.0.1:${portBase + offset}/health/ready`);
      expect(r.status).toBe(200);
    }
    const order = `http://127.0.0.1:${portBase + 3}`;
    expect(output).toContain(`${order}/health/detailed`);
    expect(output).toContain(`${order}/metrics`);
    expect(output).toContain(`${order}/observability/traces`);
    // The banner starts with order-service's console.
    const banner = output.indexOf('Observability console of order-service: ');
    expect(banner).toBeGreaterThan(-1);
    expect(output.indexOf(`${order}/observability/ `)).toBe(
      banner + 'Observability console of order-service: '.length,
    );
    expect(banner).toBeLessThan(output.indexOf('Demo shop is running'));
    expect(output).toMatch(/curl -s -XPOST http:\/\/127\.0\.0\.1:\d+\/orders/);
    // Prometheus and Alertmanager (installed here, as npm test installs them) run next to the
    // services: Prometheus with the demo's SLO rules, scraping all four, sending to Alertmanager.
    const prometheus = `http://127.0.0.1:${portBase + 90}`;
    const alertmanager = `http://127.0.0.1:${portBase + 93}`;
    expect(output).toContain(`prometheus ${prometheus}/alerts   (SLO rules over 30d, scraping all four)`);
    expect(output).toContain(`alerting   ${alertmanager}`);
    expect(output).toContain(`receiver   http://127.0.0.1:${portBase + 95}/alerts`);
    expect(output).toContain(`received   http://127.0.0.1:${portBase + 95}/observability/#/logs?q=alert%20received`);
    const api = async (path: string): Promise<any> => ((await (await fetch(prometheus + path)).json()) as any).data;
    const groups = (await api('/api/v1/rules')).groups as Array<{ rules: Array<{ name: string }> }>;
    expect(groups.flatMap((g) => g.rules).filter((r) => r.name === 'ErrorBudgetBurn')).toHaveLength(16);
    const up = await waitFor('Prometheus scraping all four', 20_000, async () => {
      const targets = (await api('/api/v1/targets')).activeTargets as Array<{ labels: { job: string }; health: string }>;
      return targets.length === 4 && targets.every((t) => t.health === 'up') ? targets : undefined;
    });
    expect(up.map((t) => t.labels.job).sort()).toEqual(DEMO_SERVICES.map((s) => s.name).sort());
    await waitFor('Prometheus to find Alertmanager', 10_000, async () =>
      (await api('/api/v1/alertmanagers')).activeAlertmanagers.length === 1 ? true : undefined,
    );
    expect((await fetch(`${alertmanager}/-/ready`)).status).toBe(200);
    // Service logs come through as JSON lines, each naming its service.
    const started = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { service: string; message: string })
      .filter((l) => l.message === 'service started');
    expect(started.map((l) => l.service).sort()).toEqual(DEMO_SERVICES.map((s) => s.name).sort());

    const exited = once(starter, 'exit');
    starter.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<['timeout']>((resolve) => (timer = setTimeout(resolve, 20_000, ['timeout'])));
    const [code] = (await Promise.race([exited, timeout])) as [unknown];
    clearTimeout(timer);
    expect(code).toBe(0);
    expect(output).toContain('SIGINT: stopping the services...');
    for (const offset of [...DEMO_SERVICES.map((s) => s.offset), 90, 93, 95]) {
      await expect(fetch(`http://127.0.0.1:${portBase + offset}/-/ready`)).rejects.toThrow();
    }
  }, 90_000);
});
