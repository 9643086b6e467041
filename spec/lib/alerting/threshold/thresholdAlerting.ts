import type { AlertingOptions, ServiceSloOptions } from '../../../../index';
import { DEMO_SERVICES, type DemoServiceName } from '../../../../demo-app/shared/serviceNames';

/** Threshold objectives per demo service, for users without SLOs: what thresholdAlerts.test.yml tests. */
const THRESHOLDS: Record<
  DemoServiceName,
  Pick<ServiceSloOptions, 'latencyP95Seconds' | 'latencyP99Seconds' | 'errorRatio'>
> = {
  'user-service': { latencyP95Seconds: 0.25, latencyP99Seconds: 0.5, errorRatio: 0.05 },
  'product-service': { latencyP95Seconds: 0.25, latencyP99Seconds: 0.5, errorRatio: 0.05 },
  'order-service': { latencyP95Seconds: 1, latencyP99Seconds: 2.5, errorRatio: 0.05 },
  'payment-service': { latencyP95Seconds: 1, latencyP99Seconds: 2, errorRatio: 0.02 },
};

/** The demo's services with threshold alerts only (no objectives). */
export const thresholdAlerting: AlertingOptions = {
  window: '5m',
  services: DEMO_SERVICES.map(({ name }) => ({
    service: name,
    memoryBytes: 384 * 1024 * 1024,
    ...THRESHOLDS[name],
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
