import { collectDefaultMetrics, type Registry } from 'prom-client';

/**
 * prom-client gauges whose names end in `_total`, which `promtool check metrics` rejects
 * (`_total` is for counters). Each has a per-type sibling gauge whose sum is the same number.
 */
export const DROPPED_RUNTIME_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/**
 * prom-client's default runtime metrics on `registry`, promtool-clean: the gauges of
 * {@link DROPPED_RUNTIME_METRICS} are removed. A registry that already has them (two
 * instances sharing one registry) is left alone instead of failing on re-registration.
 */
export function collectRuntimeMetrics(registry: Registry, prefix: string): void {
  if (registry.getSingleMetric(`${prefix}process_cpu_user_seconds_total`)) return;
  collectDefaultMetrics({ register: registry, prefix });
  for (const name of DROPPED_RUNTIME_METRICS) registry.removeSingleMetric(prefix + name);
}
