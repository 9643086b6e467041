import type { AlertingOptions, ServiceSloOptions } from '../../index';
import { DEMO_SERVICES, type DemoServiceName } from '../shared/serviceNames';

/**
 * Latency objectives per service: payment talks to a provider and order waits on
 * three services, so theirs are looser than those answering from memory or one query.
 */
const LATENCY: Record<
  DemoServiceName,
  Pick<ServiceSloOptions, 'latencyP95Seconds' | 'latencyP99Seconds' | 'errorRatio'>
> = {
  'user-service': { latencyP95Seconds: 0.25, latencyP99Seconds: 0.5, errorRatio: 0.05 },
  'product-service': { latencyP95Seconds: 0.25, latencyP99Seconds: 0.5, errorRatio: 0.05 },
  'order-service': { latencyP95Seconds: 1, latencyP99Seconds: 2.5, errorRatio: 0.05 },
  'payment-service': { latencyP95Seconds: 1, latencyP99Seconds: 2, errorRatio: 0.02 },
};

/** The demo's service level objectives: what `npm run alerts` turns into rules and a dashboard. */
export const demoAlerting: AlertingOptions = {
  window: '5m',
  // A demo service idles near 100 MB of RSS: 384 MiB means something is leaking.
  services: DEMO_SERVICES.map(({ name }) => ({
    service: name,
    memoryBytes: 384 * 1024 * 1024,
    ...LATENCY[name],
  })),
  for: {
    errorRatio: '2m',
    latencyP95: '5m',
    latencyP99: '5m',
    instanceDown: '1m',
    healthCheck: '1m',
    memory: '10m',
  },
};
