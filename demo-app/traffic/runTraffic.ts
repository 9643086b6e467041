import { setTimeout as delay } from 'node:timers/promises';
import { CARD_LIMIT } from '../payment/PaymentService';
import { CATALOG, CATEGORIES, CURRENCIES } from '../product/productCatalog';
import { DemoApi } from './DemoApi';

/** Options of {@link runTraffic}; every run is bounded by both `sessions` and `durationMs`. */
export interface TrafficOptions {
  readonly portBase: number;
  /** Shopping sessions to run (each a few requests). Default: 100, at most 10000. */
  readonly sessions?: number;
  /** Stop starting sessions after this long. Default: 60000 ms, at most 600000. */
  readonly durationMs?: number;
  /** Sessions running at once. Default: 4, at most 32. */
  readonly concurrency?: number;
  /** Spread session starts evenly over `durationMs` (true) or run them back to back. Default: true. */
  readonly paced?: boolean;
  /** Headers sent on every request. */
  readonly headers?: Readonly<Record<string, string>>;
}

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
const chance = (p: number): boolean => Math.random() < p;

/**
 * Realistic, bounded shop traffic: customers register, browse the catalog, view
 * products (a few unknown ones: 404), place orders in three currencies (a few with
 * an unknown product: 422; a few above the card limit: declined, 402), then complete
 * or cancel some. Returns the API client, whose `sent` lists every request.
 */
export async function runTraffic(options: TrafficOptions): Promise<DemoApi> {
  const sessions = Math.min(Math.max(1, options.sessions ?? 100), 10_000);
  const durationMs = Math.min(options.durationMs ?? 60_000, 600_000);
  const start = Date.now();
  const deadline = start + durationMs;
  const interval = options.paced === false ? 0 : durationMs / sessions;
  const concurrency = Math.min(Math.max(1, options.concurrency ?? 4), 32);
  const api = new DemoApi(options.portBase, options.headers);
  const customers: string[] = [];
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < sessions && Date.now() < deadline) {
      const n = started++;
      const wait = start + n * interval - Date.now();
      if (wait > 0) await delay(wait);
      await session(api, customers, n);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return api;
}

async function session(api: DemoApi, customers: string[], n: number): Promise<void> {
  if (customers.length < 3 || chance(0.25)) {
    const r = await api.call('user-service', 'POST', '/users', '/users', {
      email: `shopper${n}.${Date.now()}@example.com`,
      name: `Shopper ${n}`,
    });
    if (r.status === 201) customers.push(r.body.id);
  }
  await api.call(
    'product-service',
    'GET',
    '/products',
    chance(0.5) ? `/products?category=${pick(CATEGORIES)}` : '/products',
  );
  for (let i = 0, views = 1 + Math.floor(Math.random() * 3); i < views; i++) {
    await api.call(
      'product-service',
      'GET',
      '/products/:id',
      `/products/${chance(0.05) ? 'p-0000' : pick(CATALOG).id}`,
    );
  }
  if (customers.length === 0 || !chance(0.6)) return;
  const customerId = pick(customers);
  await api.call('user-service', 'GET', '/users/:id', `/users/${customerId}`);
  const items = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => ({
    productId: pick(CATALOG).id,
    quantity: 1 + Math.floor(Math.random() * 2),
  }));
  if (chance(0.04)) items.push({ productId: 'p-9999', quantity: 1 });
  // A bulk order of the dearest product goes over the provider's card limit: declined.
  if (chance(0.05)) items.push({ productId: 'p-2003', quantity: Math.ceil(CARD_LIMIT / 24_900) + 1 });
  const order = await api.call('order-service', 'POST', '/orders', '/orders', {
    customerId,
    currency: pick(CURRENCIES),
    items,
  });
  if (order.status !== 201) return;
  const id = order.body.id as string;
  await api.call('order-service', 'GET', '/orders/:id', `/orders/${id}`);
  if (chance(0.6)) await api.call('order-service', 'POST', '/orders/:id/complete', `/orders/${id}/complete`);
  else if (chance(0.4)) await api.call('order-service', 'POST', '/orders/:id/cancel', `/orders/${id}/cancel`);
}
