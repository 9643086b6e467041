import type { Pool } from 'pg';
import { checks, type HealthCheckInput } from '../../../index';
import type { Document, DocumentStore } from './DocumentStore';
import { MemoryStore } from './MemoryStore';
import { PostgresStore } from './PostgresStore';

/** Where a service keeps its data, and what to check and close for it. */
export interface Storage {
  /** `memory` or `postgres`. */
  readonly kind: 'memory' | 'postgres';
  /** A collection (a table in PostgreSQL); call `init()` on it before use. */
  collection<T extends Document>(name: string): DocumentStore<T>;
  /** Health checks of the storage: `postgres` when there is a database. */
  readonly checks: Record<string, HealthCheckInput>;
  close(): Promise<void>;
}

/**
 * In memory, unless DATABASE_URL is set: then one small `pg` Pool per service.
 * `pg` is loaded here, after tracing is set up, so its queries are traced.
 */
export function createStorage(env: NodeJS.ProcessEnv, service: string): Storage {
  const url = env.DATABASE_URL;
  if (!url) {
    return { kind: 'memory', collection: () => new MemoryStore(), checks: {}, close: async () => {} };
  }
  const { Pool: PgPool } = require('pg') as typeof import('pg');
  const pool: Pool = new PgPool({
    connectionString: url,
    max: 5,
    application_name: service,
    connectionTimeoutMillis: 3000,
  });
  // An idle client losing its connection emits here; without a listener it would crash the process.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    collection: (name) => new PostgresStore(pool, name),
    checks: { postgres: checks.postgres(pool, { timeoutMs: 2000 }) },
    close: () => pool.end(),
  };
}
