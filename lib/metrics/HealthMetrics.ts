import type { Gauge } from 'prom-client';
import type { HealthChecker } from '../health/HealthChecker';
import type { HealthReport, HealthStatus } from '../health/healthTypes';
import type { MetricDefinitions } from './MetricDefinitions';

/** `health_status` value per overall status: alert on `< 1` (degraded) and `== 0` (unhealthy). */
export const HEALTH_STATUS_VALUE: Readonly<Record<HealthStatus, number>> = { healthy: 1, degraded: 0.5, unhealthy: 0 };

/**
 * Health as gauges, refreshed at each scrape through the checker (so cached and
 * coalesced like any probe): `health_check_status{check}` 1 healthy / 0 not,
 * `health_check_duration_seconds{check}` and the overall `health_status`.
 */
export function defineHealthMetrics(define: MetricDefinitions, health: HealthChecker, deadlineMs: number): void {
  let pending: Promise<HealthReport> | undefined;
  // One report per scrape, however many of the three gauges ask for it.
  const report = (): Promise<HealthReport> => {
    pending ??= health.report({ deadlineMs }).finally(() => (pending = undefined));
    return pending;
  };
  define.gauge({
    name: 'health_check_status',
    help: 'Result of each health check: 1 healthy, 0 degraded or unhealthy.',
    labelNames: ['check'],
    aggregator: 'min',
    async collect(this: Gauge<'check'>) {
      const r = await report();
      this.reset();
      for (const c of Object.values(r.checks)) this.set({ check: c.name }, c.status === 'healthy' ? 1 : 0);
    },
  });
  define.gauge({
    name: 'health_check_duration_seconds',
    help: 'How long the last run of each health check took.',
    labelNames: ['check'],
    aggregator: 'max',
    async collect(this: Gauge<'check'>) {
      const r = await report();
      this.reset();
      for (const c of Object.values(r.checks)) this.set({ check: c.name }, c.durationMs / 1000);
    },
  });
  define.gauge({
    name: 'health_status',
    help: 'Overall health: 1 healthy, 0.5 degraded, 0 unhealthy.',
    aggregator: 'min',
    async collect(this: Gauge) {
      this.set(HEALTH_STATUS_VALUE[(await report()).status]);
    },
  });
}
