/**
 * The demo's two stores behave the same: in memory and on real PostgreSQL (a schema
 * of this test's own), including the conditional update the order states rely on.
 */
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import type { DocumentStore } from '../../demo-app/shared/storage/DocumentStore';
import { MemoryStore } from '../../demo-app/shared/storage/MemoryStore';
import { PostgresStore } from '../../demo-app/shared/storage/PostgresStore';

interface Doc {
  readonly id: string;
  readonly email: string;
  readonly status: string;
  readonly n?: number;
}

const PG = 'postgres://postgres@127.0.0.1:5432/test';
const schema = `demo_store_${randomBytes(4).toString('hex')}`;
let pool: Pool;

beforeAll(async () => {
  const admin = new Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  pool = new Pool({ connectionString: PG, options: `-c search_path=${schema}`, max: 2 });
});

afterAll(async () => {
  await pool.end();
  const admin = new Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describe.each([
  ['memory', (): DocumentStore<Doc> => new MemoryStore<Doc>()],
  [
    'postgres',
    (): DocumentStore<Doc> => new PostgresStore<Doc>(pool, `docs_${randomBytes(3).toString('hex')}`),
  ],
])('%s store', (_kind, make) => {
  let store: DocumentStore<Doc>;
  beforeEach(async () => {
    store = make();
    await store.init();
    await store.init(); // idempotent: a restarted service creates nothing twice
  });

  it('inserts once per id, reads back copies, finds by field and lists in insertion order', async () => {
    expect(await store.insert({ id: 'a', email: 'a@x.io', status: 'pending' })).toBe(true);
    expect(await store.insert({ id: 'a', email: 'other@x.io', status: 'paid' })).toBe(false);
    expect(await store.insert({ id: 'b', email: 'b@x.io', status: 'paid', n: 2 })).toBe(true);
    const a = await store.get('a');
    expect(a).toEqual({ id: 'a', email: 'a@x.io', status: 'pending' });
    (a as { status: string }).status = 'mutated';
    expect((await store.get('a'))?.status).toBe('pending');
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.findBy('email', 'b@x.io')).toEqual({ id: 'b', email: 'b@x.io', status: 'paid', n: 2 });
    expect(await store.findBy('email', 'nobody@x.io')).toBeUndefined();
    expect((await store.getMany(['b', 'zz', 'a'])).map((d) => d.id).sort()).toEqual(['a', 'b']);
    expect((await store.list(10)).map((d) => d.id)).toEqual(['a', 'b']);
    expect(await store.list(1)).toHaveLength(1);
  });

  it('updates only from an allowed state, once, even when two updates race', async () => {
    await store.insert({ id: 'o', email: 'o@x.io', status: 'pending' });
    expect(await store.updateIf('o', 'status', ['paid'], { status: 'completed' })).toBeUndefined();
    const results = await Promise.all([
      store.updateIf('o', 'status', ['pending'], { status: 'paid', n: 1 }),
      store.updateIf('o', 'status', ['pending'], { status: 'cancelled', n: 2 }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.find(Boolean)!;
    expect(await store.get('o')).toEqual(winner);
    expect(winner.email).toBe('o@x.io');
    expect(await store.updateIf('missing', 'status', ['pending'], { status: 'paid' })).toBeUndefined();
  });
});
