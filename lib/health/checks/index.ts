import { cpu } from './cpu';
import { disk } from './disk';
import { eventLoop } from './eventLoop';
import { http } from './http';
import { memory } from './memory';
import { postgres } from './postgres';
import { redis } from './redis';

/**
 * Built-in health checks. Each returns a check definition to put under
 * `health.checks`, validates its options at once (throwing
 * `ObservabilityConfigError`) and reports details such as latency, values and
 * thresholds. Dependency checks (`http`, `postgres`, `redis`) are critical by
 * default and use the app's existing clients; resource checks (`memory`, `disk`,
 * `cpu`, `eventLoop`) are non-critical and report `degraded` over a threshold.
 *
 * @example
 * health: { checks: { db: checks.postgres(pool), cache: checks.redis(client), disk: checks.disk({ path: '/data' }) } }
 */
export const checks = { http, postgres, redis, memory, disk, cpu, eventLoop } as const;
