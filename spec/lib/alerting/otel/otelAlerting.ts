import type { AlertingOptions } from '../../../../index';

/** One service on the otel preset, with a latency threshold only the OpenTelemetry buckets have. */
export const otelAlerting: AlertingOptions = {
  preset: 'otel',
  services: [
    { service: 'checkout', availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.75 } },
  ],
};
