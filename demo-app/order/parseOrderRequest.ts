import { HttpError } from '../shared/HttpError';

/** A validated order request. */
export interface OrderRequest<C extends string = any> {
  readonly customerId: string;
  readonly currency: C;
  readonly items: ReadonlyArray<{ readonly productId: string; readonly quantity: number }>;
}

const MAX_ITEMS = 20;
const MAX_QUANTITY = 100;

/** Validates `{ customerId, items: [{ productId, quantity }], currency }`; throws a 400 HttpError saying what is wrong. */
export function parseOrderRequest<C extends string>(
  body: unknown,
  currencies: readonly C[],
): OrderRequest<C> {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (!isId(b.customerId)) throw new HttpError(400, 'customerId is required');
  if (!currencies.includes(b.currency as C))
    throw new HttpError(400, `currency must be one of ${currencies.join(', ')}`);
  if (!Array.isArray(b.items) || b.items.length === 0 || b.items.length > MAX_ITEMS) {
    throw new HttpError(400, `items must be a list of 1 to ${MAX_ITEMS} { productId, quantity }`);
  }
  const items = b.items.map((raw: unknown, i) => {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (!isId(item.productId)) throw new HttpError(400, `items[${i}].productId is required`);
    const quantity = item.quantity;
    if (
      typeof quantity !== 'number' ||
      !Number.isInteger(quantity) ||
      quantity < 1 ||
      quantity > MAX_QUANTITY
    ) {
      throw new HttpError(400, `items[${i}].quantity must be an integer from 1 to ${MAX_QUANTITY}`);
    }
    return { productId: item.productId, quantity };
  });
  return { customerId: b.customerId, currency: b.currency as C, items };
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 64;
}
