import { ObservabilityConfigError } from '../../configError';
import { messageWithCauses } from '../messageWithCauses';
import type { HealthCheckDefinition } from '../healthTypes';
import { checkOptions, elapsedMs, withPolicy, type CheckPolicyOptions } from './checkPolicy';

/**
 * What the PostgreSQL check needs of a `pg` Pool or Client (typed by shape, so `pg`
 * stays the app's dependency, not ours). Pool counters are reported when present.
 */
export interface PostgresQueryable {
  query(text: string): Promise<unknown>;
  readonly totalCount?: number;
  readonly idleCount?: number;
  readonly waitingCount?: number;
}

/** Options of {@link postgres}. */
export interface PostgresCheckOptions extends CheckPolicyOptions {
  /** The query run on each check. Default: `SELECT 1`. */
  readonly query?: string;
}

const OPTION = 'checks.postgres';

/**
 * Checks PostgreSQL with `SELECT 1` through the app's own `pg` Pool or Client: no
 * connection is opened per probe (a Pool borrows and returns one of its clients).
 * Critical by default. Details: latencyMs and, for a Pool, totalCount, idleCount and
 * waitingCount (clients waiting for a connection: a full pool shows here first).
 */
export function postgres(
  poolOrClient: PostgresQueryable,
  options?: PostgresCheckOptions,
): HealthCheckDefinition {
  if (!poolOrClient || typeof (poolOrClient as { query?: unknown }).query !== 'function') {
    throw new ObservabilityConfigError(
      `${OPTION}(poolOrClient)`,
      poolOrClient,
      'a pg Pool or Client (an object with a query() method)',
    );
  }
  const o = checkOptions(OPTION, options, ['query']);
  const sql = o.query ?? 'SELECT 1';
  if (typeof sql !== 'string' || sql.trim() === '') {
    throw new ObservabilityConfigError(`${OPTION}.query`, sql, 'a non-empty SQL string such as "SELECT 1"');
  }
  const db = poolOrClient;

  const check = async (): Promise<Record<string, unknown>> => {
    const started = performance.now();
    try {
      await db.query(sql);
    } catch (error) {
      throw new Error(`${sql} failed: ${messageWithCauses(error)}`);
    }
    return { latencyMs: elapsedMs(started), ...poolCounts(db) };
  };
  return withPolicy(OPTION, check, o, true);
}

function poolCounts(db: PostgresQueryable): Record<string, number> {
  if (typeof db.totalCount !== 'number') return {};
  return { totalCount: db.totalCount, idleCount: db.idleCount ?? 0, waitingCount: db.waitingCount ?? 0 };
}
