import { generateAlertRules } from '../../index';
import { demoAlerting } from '../alerting/demoAlerting';
import { DEMO_SERVICES } from '../shared/serviceNames';
import { findMonitoringBinaries, startMonitoring } from './startMonitoring';

/** What `npm run demo` prints about monitoring, and how to stop it. */
export interface DemoMonitoring {
  readonly lines: readonly string[];
  stop(): Promise<void>;
}

/**
 * Prometheus, Alertmanager and the alert receiver next to the demo, when both binaries are
 * installed: Prometheus scrapes the four services every 5 s with the demo's SLO rules
 * (period `SLO_PERIOD`, default 30d) and sends alerts to Alertmanager, which routes
 * `page` and `ticket` to the receiver, which logs each one. Ports PORT_BASE+90, +93 and
 * +95 (PROMETHEUS_PORT, ALERTMANAGER_PORT, ALERT_RECEIVER_PORT). Never fails the demo:
 * without the binaries, or when they cannot start, it returns a one-line hint.
 */
export async function startDemoMonitoring(portBase: number, env: NodeJS.ProcessEnv): Promise<DemoMonitoring> {
  const none = { stop: async () => undefined };
  const binaries = findMonitoringBinaries(env);
  if (!binaries) {
    return {
      ...none,
      lines: [
        '  alerting   install the Debian packages prometheus and prometheus-alertmanager to get both started here',
      ],
    };
  }
  const period = env.SLO_PERIOD ?? demoAlerting.period;
  const port = (name: string, offset: number): number => Number(env[name] ?? portBase + offset);
  try {
    const monitoring = await startMonitoring({
      binaries,
      targets: DEMO_SERVICES.map(({ name, offset }) => ({ job: name, port: portBase + offset })),
      // Four 5 s scrapes at least in every window, whatever the period.
      rules: generateAlertRules({ ...demoAlerting, period, minWindow: '20s' }),
      ports: {
        prometheus: port('PROMETHEUS_PORT', 90),
        alertmanager: port('ALERTMANAGER_PORT', 93),
        receiver: port('ALERT_RECEIVER_PORT', 95),
      },
      interval: '5s',
    });
    return {
      lines: [
        `  prometheus ${monitoring.prometheusUrl}/alerts   (SLO rules over ${period}, scraping all four)`,
        `  alerting   ${monitoring.alertmanagerUrl}   (Alertmanager: page and ticket go to the receiver)`,
        `  receiver   ${monitoring.receiver.url}/alerts   (each alert also logged as an "alert received" line)`,
        `  received   ${monitoring.receiver.url}/observability/#/logs?q=alert%20received   (the receiver's console)`,
      ],
      stop: () => monitoring.stop(),
    };
  } catch (e) {
    return {
      ...none,
      lines: [
        `  alerting   Prometheus and Alertmanager did not start: ${(e as Error).message.split('\n')[0]}`,
      ],
    };
  }
}
