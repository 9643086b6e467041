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
 * In memory, unless DATABASE_URL is set: then one small `pg` Pool per service, with its
 * queries traced as database spans.
 */
export function createStorage(env: NodeJS.ProcessEnv, service: string): Storage {
  const url = env.DATABASE_URL;
  if (!url) {
    return { kind: 'memory', collection: () => new MemoryStore(), checks: {}, close: async () => {} };
  }
  // instrumentation-pg patches `pg` when it is required, so it is registered first. Spans go
  // to the global tracer provider the observability instance registers; only queries made
  // inside a traced request get one (not the health check's SELECT 1 of every probe).
  const { registerInstrumentations } =
    require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  registerInstrumentations({ instrumentations: [new PgInstrumentation({ requireParentSpan: true })] });
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
