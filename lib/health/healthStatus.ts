import type { CheckResult, HealthStatus } from './healthTypes';

/**
 * Overall status: unhealthy when a critical check is unhealthy, degraded when any
 * check is not healthy, healthy otherwise (and with no checks).
 */
export function overallStatus(results: readonly Pick<CheckResult, 'status' | 'critical'>[]): HealthStatus {
  let status: HealthStatus = 'healthy';
  for (const r of results) {
    if (r.status === 'unhealthy' && r.critical) return 'unhealthy';
    if (r.status !== 'healthy') status = 'degraded';
  }
  return status;
}

/** IETF health-check draft words for our statuses. */
export const IETF_STATUS: Readonly<Record<HealthStatus, 'pass' | 'warn' | 'fail'>> = {
  healthy: 'pass',
  degraded: 'warn',
  unhealthy: 'fail',
};
