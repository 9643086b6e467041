import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { DEMO_SERVICES, serviceUrl, type DemoServiceName } from './shared/serviceNames';

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Ports are PORT_BASE+1..+4. Default: PORT_BASE from `env`, else 3000. */
  readonly portBase?: number;
  /** Environment of the services. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives every output line of every service; without it, output goes to this process's stdout. */
  readonly onLine?: (service: DemoServiceName, line: string, stream: 'stdout' | 'stderr') => void;
  /** How long the services may take to become ready. Default: 60000 ms. */
  readonly readyTimeoutMs?: number;
}

/** One running service process. */
export interface DemoProcess {
  readonly name: DemoServiceName;
  readonly url: string;
  readonly child: ChildProcess;
}

/** The running demo. */
export interface RunningDemo {
  readonly portBase: number;
  readonly services: Readonly<Record<DemoServiceName, DemoProcess>>;
  /** Stops one service (SIGTERM, then SIGKILL after `graceMs`); resolves when it has exited. */
  stopService(name: DemoServiceName, graceMs?: number): Promise<void>;
  /** Stops every service. */
  stop(graceMs?: number): Promise<void>;
}

const MAIN = join(__dirname, 'serviceMain.ts');

/**
 * Starts the four services as child processes (each its own app and port, as in
 * production) and resolves once every `/health/ready` answers 200.
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const env = options.env ?? process.env;
  const portBase = options.portBase ?? Number(env.PORT_BASE ?? 3000);
  const services = {} as Record<DemoServiceName, DemoProcess>;
  for (const { name } of DEMO_SERVICES) {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', MAIN, name], {
      env: { ...env, PORT_BASE: String(portBase) },
      stdio: options.onLine ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    });
    if (options.onLine) {
      const onLine = options.onLine;
      createInterface({ input: child.stdout! }).on('line', (line) => onLine(name, line, 'stdout'));
      createInterface({ input: child.stderr! }).on('line', (line) => onLine(name, line, 'stderr'));
    }
    services[name] = { name, url: serviceUrl(name, portBase), child };
  }
  const stopService = async (name: DemoServiceName, graceMs = 10_000): Promise<void> => {
    const { child } = services[name];
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const demo: RunningDemo = {
    portBase,
    services,
    stopService,
    stop: async (graceMs) => {
      await Promise.all(DEMO_SERVICES.map(({ name }) => stopService(name, graceMs)));
    },
  };
  try {
    await Promise.all(
      DEMO_SERVICES.map(({ name }) => waitReady(services[name], options.readyTimeoutMs ?? 60_000)),
    );
  } catch (e) {
    await demo.stop(2000);
    throw e;
  }
  return demo;
}

async function waitReady(service: DemoProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null)
      throw new Error(`${service.name} exited with code ${service.child.exitCode} while starting`);
    try {
      const r = await fetch(`${service.url}/health/ready`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await delay(200);
  }
  throw new Error(`${service.name} was not ready at ${service.url}/health/ready within ${timeoutMs} ms`);
}
