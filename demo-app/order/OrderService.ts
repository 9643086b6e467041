import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import type winston from 'winston';
import { Logged, Metered, Traced, type Observability } from '../../index';
import type { Payment } from '../payment/PaymentService';
import type { Product } from '../product/ProductService';
import { CURRENCIES, type Currency } from '../product/productCatalog';
import { HttpError } from '../shared/HttpError';
import type { ServiceClient } from '../shared/ServiceClient';
import type { DocumentStore } from '../shared/storage/DocumentStore';
import { parseOrderRequest, type OrderRequest } from './parseOrderRequest';

/** An order and where it stands. Amounts in minor units (cents). */
export interface Order {
  readonly id: string;
  readonly customerId: string;
  readonly currency: Currency;
  readonly items: ReadonlyArray<{ productId: string; name: string; quantity: number; unitPrice: number }>;
  readonly total: number;
  readonly status: 'pending' | 'paid' | 'payment_declined' | 'payment_failed' | 'completed' | 'cancelled';
  readonly paymentId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The services an order needs. */
export interface OrderDependencies {
  readonly users: ServiceClient;
  readonly products: ServiceClient;
  readonly payments: ServiceClient;
}

/** Places orders (customer, prices and payment from the other services) and moves them along. */
export class OrderService {
  private readonly created: Counter | undefined;
  private readonly completed: Counter | undefined;
  private readonly cancelled: Counter | undefined;
  private readonly revenue: Counter<'currency'> | undefined;
  private readonly abandoned: Counter<'reason'> | undefined;
  private readonly logger: winston.Logger;

  constructor(
    private readonly orders: DocumentStore<Order>,
    private readonly deps: OrderDependencies,
    obs: Observability,
  ) {
    const define = obs.metrics?.define;
    this.created = define?.counter({ name: 'orders_created_total', help: 'Orders placed and paid.' });
    this.completed = define?.counter({
      name: 'orders_completed_total',
      help: 'Orders completed (delivered).',
    });
    this.cancelled = define?.counter({ name: 'orders_cancelled_total', help: 'Orders cancelled.' });
    // Currency is one of CURRENCIES: a bounded label.
    this.revenue = define?.counter({
      name: 'revenue_total',
      help: 'Captured revenue in major units, by currency.',
      labelNames: ['currency'],
    });
    this.abandoned = define?.counter({
      name: 'cart_abandonment_total',
      help: 'Checkouts that ended without a payment, by reason (declined, payment_failed).',
      labelNames: ['reason'],
    });
    this.logger = obs.logger.child({ component: 'orders' });
  }

  @Traced()
  @Metered()
  @Logged()
  async place(body: unknown): Promise<Order> {
    const request = parseOrderRequest(body, CURRENCIES);
    const [, products] = await Promise.all([this.customer(request.customerId), this.prices(request)]);
    const items = request.items.map(({ productId, quantity }) => {
      const product = products.get(productId)!;
      return { productId, name: product.name, quantity, unitPrice: product.prices[request.currency] };
    });
    const now = new Date().toISOString();
    const order: Order = {
      id: randomUUID(),
      customerId: request.customerId,
      currency: request.currency,
      items,
      total: items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0),
      status: 'pending',
      createdAt: now,
      updatedAt: now,
    };
    await this.orders.insert(order);
    return this.pay(order);
  }

  @Traced()
  @Metered()
  async get(id: string): Promise<Order> {
    const order = await this.orders.get(id);
    if (!order) throw new HttpError(404, 'no such order');
    return order;
  }

  @Traced()
  @Metered()
  @Logged()
  async complete(id: string): Promise<Order> {
    const order = await this.transition(id, ['paid'], 'completed');
    this.completed?.inc();
    return order;
  }

  @Traced()
  @Metered()
  @Logged()
  async cancel(id: string): Promise<Order> {
    const order = await this.transition(id, ['pending', 'paid'], 'cancelled');
    this.cancelled?.inc();
    return order;
  }

  private async customer(id: string): Promise<void> {
    const r = await this.deps.users.get(`/users/${encodeURIComponent(id)}`);
    if (r.status === 404) throw new HttpError(422, 'unknown customer');
    if (r.status !== 200) throw new HttpError(502, `user-service answered ${r.status}`);
  }

  private async prices(request: OrderRequest): Promise<Map<string, Product>> {
    const ids = [...new Set(request.items.map((i) => i.productId))];
    const r = await this.deps.products.get<Product[]>(
      `/products?ids=${ids.map(encodeURIComponent).join(',')}`,
    );
    if (r.status !== 200) throw new HttpError(502, `product-service answered ${r.status}`);
    const found = new Map(r.body.map((p) => [p.id, p]));
    const unknown = ids.filter((id) => !found.has(id));
    if (unknown.length) throw new HttpError(422, `unknown product ${unknown.slice(0, 3).join(', ')}`);
    return found;
  }

  private async pay(order: Order): Promise<Order> {
    let payment;
    try {
      payment = await this.deps.payments.post<Payment>('/payments', {
        orderId: order.id,
        amount: order.total,
        currency: order.currency,
      });
    } catch (e) {
      await this.orders.updateIf(order.id, 'status', ['pending'], {
        status: 'payment_failed',
        updatedAt: new Date().toISOString(),
      });
      this.abandoned?.inc({ reason: 'payment_failed' });
      throw e;
    }
    if (payment.status === 402) {
      this.abandoned?.inc({ reason: 'declined' });
      this.logger.info('payment declined', { order_id: order.id });
      return this.transition(order.id, ['pending'], 'payment_declined');
    }
    if (payment.status !== 201) throw new HttpError(502, `payment-service answered ${payment.status}`);
    const paid = await this.transition(order.id, ['pending'], 'paid', { paymentId: payment.body.id });
    this.created?.inc();
    this.revenue?.inc({ currency: order.currency }, order.total / 100);
    this.logger.info('order placed', {
      order_id: order.id,
      total: order.total,
      currency: order.currency,
      items: order.items.length,
    });
    return paid;
  }

  private async transition(
    id: string,
    from: readonly Order['status'][],
    to: Order['status'],
    extra: Partial<Order> = {},
  ): Promise<Order> {
    const updated = await this.orders.updateIf(id, 'status', from, {
      ...extra,
      status: to,
      updatedAt: new Date().toISOString(),
    });
    if (updated) return updated;
    const current = await this.orders.get(id);
    if (!current) throw new HttpError(404, 'no such order');
    throw new HttpError(
      409,
      `order is ${current.status}; only a ${from.join(' or ')} order can become ${to}`,
    );
  }
}
