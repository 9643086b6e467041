import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'yaml';
import { generateAlertmanagerConfig, type ObservabilityOptions } from '../../index';
import { startAlertReceiver, type AlertReceiver } from '../alerting/startAlertReceiver';

/** The binaries, as Debian's packages `prometheus` and `prometheus-alertmanager` install them. */
export interface MonitoringBinaries {
  readonly prometheus: string;
  readonly alertmanager: string;
}

/** One scrape job. */
export interface MonitoringTarget {
  readonly job: string;
  readonly port: number;
}

/** Options of {@link startMonitoring}. */
export interface MonitoringOptions {
  readonly binaries: MonitoringBinaries;
  readonly targets: readonly MonitoringTarget[];
  /** Content of the rule file Prometheus loads. */
  readonly rules: string;
  readonly ports: { readonly prometheus: number; readonly alertmanager: number; readonly receiver: number };
  /** Scrape and rule evaluation interval. Default: `5s`. */
  readonly interval?: string;
  /** Alertmanager's group wait and group interval. Default: `5s` and `10s`. */
  readonly groupWait?: string;
  readonly groupInterval?: string;
  /** Options of the alert receiver's observability instance. */
  readonly receiverObservability?: ObservabilityOptions;
  /** How long both may take to become ready. Default: 30000 ms. */
  readonly readyTimeoutMs?: number;
}

/** Prometheus, Alertmanager and the alert receiver, running. */
export interface RunningMonitoring {
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  readonly receiver: AlertReceiver;
  stop(): Promise<void>;
}

/** The two binaries when both are on PATH (`alertmanager` also under its upstream name), else undefined. */
export function findMonitoringBinaries(env: NodeJS.ProcessEnv = process.env): MonitoringBinaries | undefined {
  const found = (name: string): boolean =>
    spawnSync('sh', ['-c', `command -v ${name}`], { env, stdio: 'ignore' }).status === 0;
  if (!found('prometheus')) return undefined;
  const alertmanager = ['prometheus-alertmanager', 'alertmanager'].find(found);
  return alertmanager ? { prometheus: 'prometheus', alertmanager } : undefined;
}

/**
 * Starts the receiver, then Alertmanager routing `page` and `ticket` alerts to it, then
 * Prometheus scraping `targets`, loading `rules` and sending alerts to Alertmanager, each
 * on 127.0.0.1 with its data in a temporary directory; resolves once both answer `/-/ready`.
 */
export async function startMonitoring(options: MonitoringOptions): Promise<RunningMonitoring> {
  const dir = mkdtempSync(join(tmpdir(), 'demo-monitoring-'));
  const interval = options.interval ?? '5s';
  const children: ChildProcess[] = [];
  const output: string[] = [];
  let receiver: AlertReceiver | undefined;
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(stopChild));
    await receiver?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    receiver = await startAlertReceiver({
      port: options.ports.receiver,
      observability: options.receiverObservability,
    });
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      generateAlertmanagerConfig({
        pageWebhookUrl: `${receiver.url}/alerts/page`,
        ticketWebhookUrl: `${receiver.url}/alerts/ticket`,
        defaultWebhookUrl: `${receiver.url}/alerts/default`,
        groupWait: options.groupWait ?? '5s',
        groupInterval: options.groupInterval ?? '10s',
        repeatInterval: '1h',
      }),
    );
    writeFileSync(join(dir, 'rules.yml'), options.rules);
    writeFileSync(
      join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
        rule_files: [join(dir, 'rules.yml')],
        alerting: {
          alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${options.ports.alertmanager}`] }] }],
        },
        scrape_configs: options.targets.map((t) => ({
          job_name: t.job,
          static_configs: [{ targets: [`127.0.0.1:${t.port}`] }],
        })),
      }),
    );
    const alertmanagerUrl = `http://127.0.0.1:${options.ports.alertmanager}`;
    const prometheusUrl = `http://127.0.0.1:${options.ports.prometheus}`;
    const run = (binary: string, args: string[]): ChildProcess => {
      const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const keep = (chunk: Buffer): void => {
        output.push(`${binary}: ${chunk.toString()}`);
        if (output.length > 40) output.shift();
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      child.on('error', (e) => keep(Buffer.from(`could not start: ${e.message}\n`)));
      children.push(child);
      return child;
    };
    run(options.binaries.alertmanager, [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'alertmanager')}`,
      `--web.listen-address=127.0.0.1:${options.ports.alertmanager}`,
      // One instance: no gossip port for a cluster.
      '--cluster.listen-address=',
      '--log.level=warn',
    ]);
    run(options.binaries.prometheus, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prometheus')}`,
      `--web.listen-address=127.0.0.1:${options.ports.prometheus}`,
      '--log.level=warn',
    ]);
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    for (const url of [alertmanagerUrl, prometheusUrl]) {
      while (!(await ready(url))) {
        if (children.some((c) => c.exitCode !== null || c.signalCode !== null) || Date.now() > deadline) {
          throw new Error(`${url} did not become ready:\n${output.join('').slice(-2000)}`);
        }
        await delay(200);
      }
    }
    return { prometheusUrl, alertmanagerUrl, receiver, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function ready(url: string): Promise<boolean> {
  return fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) }).then(
    (r) => r.ok,
    () => false,
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
