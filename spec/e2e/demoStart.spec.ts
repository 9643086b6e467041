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

const ROOT = join(__dirname, '../..');

describe('npm run demo (demo-app/start.ts)', () => {
  let starter: ChildProcess | undefined;

  afterAll(async () => {
    if (starter && starter.exitCode === null && starter.signalCode === null) {
      const exited = once(starter, 'exit');
      starter.kill('SIGKILL');
      await exited;
    }
  });

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
    for (const { offset } of DEMO_SERVICES) {
      await expect(fetch(`http://127.0.0.1:${portBase + offset}/health/live`)).rejects.toThrow();
    }
  }, 90_000);
});
