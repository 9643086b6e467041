import type { Pool } from 'pg';
import type { Document, DocumentStore } from './DocumentStore';

/**
 * A collection as a PostgreSQL table `(id text primary key, data jsonb, created_at)`.
 * Every query is parameterised; the table name comes from code, never from a request.
 */
export class PostgresStore<T extends Document> implements DocumentStore<T> {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    collection: string,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(collection))
      throw new Error(`collection name ${JSON.stringify(collection)} is not a plain identifier`);
    this.table = `demo_${collection}`;
  }

  async init(): Promise<void> {
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (id text PRIMARY KEY, data jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    );
  }

  async get(id: string): Promise<T | undefined> {
    const r = await this.pool.query<{ data: T }>(`SELECT data FROM ${this.table} WHERE id = $1`, [id]);
    return r.rows[0]?.data;
  }

  async insert(doc: T): Promise<boolean> {
    const r = await this.pool.query(
      `INSERT INTO ${this.table} (id, data) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`,
      [doc.id, doc],
    );
    return r.rowCount === 1;
  }

  async findBy(field: keyof T & string, value: string): Promise<T | undefined> {
    const r = await this.pool.query<{ data: T }>(
      `SELECT data FROM ${this.table} WHERE data->>$1 = $2 LIMIT 1`,
      [field, value],
    );
    return r.rows[0]?.data;
  }

  async getMany(ids: readonly string[]): Promise<T[]> {
    const r = await this.pool.query<{ data: T }>(
      `SELECT data FROM ${this.table} WHERE id = ANY($1::text[])`,
      [ids],
    );
    return r.rows.map((row) => row.data);
  }

  async list(limit: number): Promise<T[]> {
    const r = await this.pool.query<{ data: T }>(
      `SELECT data FROM ${this.table} ORDER BY created_at, id LIMIT $1`,
      [limit],
    );
    return r.rows.map((row) => row.data);
  }

  async updateIf<K extends keyof T & string>(
    id: string,
    field: K,
    allowed: readonly string[],
    changes: Partial<T>,
  ): Promise<T | undefined> {
    const r = await this.pool.query<{ data: T }>(
      `UPDATE ${this.table} SET data = data || $4::jsonb WHERE id = $1 AND data->>$2 = ANY($3::text[]) RETURNING data`,
      [id, field, allowed, JSON.stringify(changes)],
    );
    return r.rows[0]?.data;
  }
}
