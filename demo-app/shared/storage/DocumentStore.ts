/** A stored document: JSON with a string id. */
export interface Document {
  readonly id: string;
}

/**
 * The demo's storage: one collection of JSON documents per entity. In memory by
 * default; a PostgreSQL table (id, jsonb) when DATABASE_URL is set.
 */
export interface DocumentStore<T extends Document> {
  /** Creates the table (or nothing in memory). Idempotent. */
  init(): Promise<void>;
  get(id: string): Promise<T | undefined>;
  /** Inserts; returns false when the id exists (and leaves the existing one). */
  insert(doc: T): Promise<boolean>;
  /** First document whose top-level string `field` equals `value`. */
  findBy(field: keyof T & string, value: string): Promise<T | undefined>;
  /** Documents with these ids, in no particular order. */
  getMany(ids: readonly string[]): Promise<T[]>;
  /** Up to `limit` documents, oldest first. */
  list(limit: number): Promise<T[]>;
  /**
   * Applies `changes` when the document's `field` is one of `allowed`, atomically
   * (a conditional UPDATE in PostgreSQL); returns the updated document, else undefined.
   */
  updateIf<K extends keyof T & string>(
    id: string,
    field: K,
    allowed: readonly string[],
    changes: Partial<T>,
  ): Promise<T | undefined>;
}
