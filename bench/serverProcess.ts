import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { buildServer } from './buildServer';
import { pinning, pinToCpu } from './pinCpu';
import type { ServerMessage, ServerRequest } from './server';
import type { Variant } from './variants';

/** A sample of a server process's own accounting. */
export type ServerSample = Extract<ServerMessage, { type: 'sample' }>;

/** A bench server running in a child process (see `server.ts`), compiled to JavaScript first. */
export class ServerProcess {
  private constructor(
    readonly variant: Variant | 'health',
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  /** Starts `variant` in its own process with `args` after it; `nodeArgs` go to node (for example `--cpu-prof`). */
  static async start(variant: Variant | 'health', args: readonly string[] = [], nodeArgs: readonly string[] = []): Promise<ServerProcess> {
    const child = fork(buildServer(), [variant, ...args], {
      execArgv: [...nodeArgs],
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await Promise.race([
      once(child, 'message') as Promise<[ServerMessage]>,
      once(child, 'exit').then(([code]) => {
        throw new Error(`bench server "${variant}" exited with code ${String(code)} before listening`);
      }),
    ]);
    const message = ready[0];
    if (message.type !== 'ready') throw new Error(`bench server "${variant}" sent ${message.type} before ready`);
    const pin = pinning();
    if (pin && child.pid !== undefined) pinToCpu(child.pid, pin.server);
    return new ServerProcess(variant, message.port, child);
  }

  /** The server's base URL on loopback. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** CPU time, request count and output counters, as the server process accounts them. */
  async sample(): Promise<ServerSample> {
    return (await this.request({ type: 'sample' }, 'sample')) as ServerSample;
  }

  /** Starts V8's CPU profiler in the server process. */
  async startProfile(): Promise<void> {
    await this.request({ type: 'profile-start' }, 'profile');
  }

  /** Stops the profiler and has the server write the `.cpuprofile` to `file`. */
  async stopProfile(file: string): Promise<void> {
    await this.request({ type: 'profile-stop', file }, 'profile');
  }

  private async request(message: ServerRequest, answer: ServerMessage['type']): Promise<ServerMessage> {
    const reply = once(this.child, 'message') as Promise<[ServerMessage]>;
    this.child.send(message);
    const [received] = await reply;
    if (received.type !== answer) throw new Error(`bench server "${this.variant}" answered ${received.type}, expected ${answer}`);
    return received;
  }

  /** Stops the server and waits for its process to exit (so a CPU profile gets written). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
