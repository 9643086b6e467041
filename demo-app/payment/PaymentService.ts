import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import { Logged, Metered, Traced, type Observability } from '../../index';
import { HttpError } from '../shared/HttpError';
import type { DocumentStore } from '../shared/storage/DocumentStore';
import { CURRENCIES } from '../product/productCatalog';
import type { FailureSwitch } from './FailureSwitch';

/** A charge of one order. */
export interface Payment {
  readonly id: string;
  readonly orderId: string;
  /** Minor units (cents). */
  readonly amount: number;
  readonly currency: string;
  readonly status: 'captured' | 'declined';
  readonly createdAt: string;
}

/** The card limit of the demo's provider, in minor units: larger charges are declined. */
export const CARD_LIMIT = 200_000;

/** Charges orders through the (external) payment provider. */
export class PaymentService {
  private readonly outcomes: Counter<'outcome'> | undefined;

  constructor(
    private readonly payments: DocumentStore<Payment>,
    private readonly provider: FailureSwitch,
    obs: Observability,
  ) {
    this.outcomes = obs.metrics?.define.counter({
      name: 'payments_total',
      help: 'Payment attempts by outcome (captured, declined).',
      labelNames: ['outcome'],
    });
  }

  @Traced()
  @Metered()
  @Logged()
  async charge(input: { orderId?: unknown; amount?: unknown; currency?: unknown }): Promise<Payment> {
    const { orderId, amount, currency } = input;
    if (typeof orderId !== 'string' || orderId.length === 0 || orderId.length > 64)
      throw new HttpError(400, 'orderId is required');
    if (!Number.isInteger(amount) || (amount as number) <= 0)
      throw new HttpError(400, 'amount must be a positive integer (minor units)');
    if (!(CURRENCIES as readonly unknown[]).includes(currency))
      throw new HttpError(400, `currency must be one of ${CURRENCIES.join(', ')}`);
    await this.provider.onProviderCall();
    const payment: Payment = {
      id: randomUUID(),
      orderId,
      amount: amount as number,
      currency: currency as string,
      status: (amount as number) > CARD_LIMIT ? 'declined' : 'captured',
      createdAt: new Date().toISOString(),
    };
    await this.payments.insert(payment);
    this.outcomes?.inc({ outcome: payment.status });
    return payment;
  }
}
