import type { AlertingOptions, ServiceSloOptions } from '../../index';
import { DEMO_SERVICES, type DemoServiceName } from '../shared/serviceNames';

/**
 * Objectives per service: payment talks to a provider and order waits on three services,
 * so theirs are looser than those answering from memory or one query. Latency thresholds
 * are buckets of the default histogram (0.25 s and 1 s).
 */
const OBJECTIVES: Record<DemoServiceName, Pick<ServiceSloOptions, 'availability' | 'latency'>> = {
  'user-service': { availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.25 } },
  'product-service': { availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.25 } },
  'order-service': { availability: 0.995, latency: { objective: 0.99, thresholdSeconds: 1 } },
  'payment-service': { availability: 0.99, latency: { objective: 0.99, thresholdSeconds: 1 } },
};

/** The demo's service level objectives: what `npm run alerts` turns into rules and a dashboard. */
export const demoAlerting: AlertingOptions = {
  period: '30d',
  // A demo service idles near 100 MB of RSS: 384 MiB means something is leaking.
  services: DEMO_SERVICES.map(({ name }) => ({
    service: name,
    memoryBytes: 384 * 1024 * 1024,
    ...OBJECTIVES[name],
  })),
  for: { instanceDown: '1m', healthCheck: '1m', memory: '10m', sloAbsent: '10m' },
};
