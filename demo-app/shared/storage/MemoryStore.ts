import type { Document, DocumentStore } from './DocumentStore';

/** In-memory store: copies in and out, so callers never share a stored object. */
export class MemoryStore<T extends Document> implements DocumentStore<T> {
  private readonly docs = new Map<string, T>();

  async init(): Promise<void> {}

  async get(id: string): Promise<T | undefined> {
    const doc = this.docs.get(id);
    return doc && structuredClone(doc);
  }

  async insert(doc: T): Promise<boolean> {
    if (this.docs.has(doc.id)) return false;
    this.docs.set(doc.id, structuredClone(doc));
    return true;
  }

  async findBy(field: keyof T & string, value: string): Promise<T | undefined> {
    for (const doc of this.docs.values()) if (doc[field] === value) return structuredClone(doc);
    return undefined;
  }

  async getMany(ids: readonly string[]): Promise<T[]> {
    return ids.flatMap((id) => {
      const doc = this.docs.get(id);
      return doc ? [structuredClone(doc)] : [];
    });
  }

  async list(limit: number): Promise<T[]> {
    return [...this.docs.values()].slice(0, limit).map((d) => structuredClone(d));
  }

  async updateIf<K extends keyof T & string>(
    id: string,
    field: K,
    allowed: readonly string[],
    changes: Partial<T>,
  ): Promise<T | undefined> {
    const doc = this.docs.get(id);
    if (!doc || !allowed.includes(String(doc[field]))) return undefined;
    const updated = { ...doc, ...changes, id };
    this.docs.set(id, updated);
    return structuredClone(updated);
  }
}
