import type { Product } from './ProductService';

/** Currencies the shop sells in; every product has a price in each. */
export const CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
/** One of {@link CURRENCIES}. */
export type Currency = (typeof CURRENCIES)[number];

/** Product categories: a fixed set, so a category is a bounded metric label. */
export const CATEGORIES = ['books', 'electronics', 'home', 'toys'] as const;

/** The catalog loaded into an empty store at start (prices in minor units, e.g. cents). */
export const CATALOG: readonly Product[] = [
  {
    id: 'p-1001',
    name: 'The Pragmatic Programmer',
    category: 'books',
    prices: { USD: 4499, EUR: 4199, GBP: 3599 },
  },
  {
    id: 'p-1002',
    name: 'Designing Data-Intensive Applications',
    category: 'books',
    prices: { USD: 5299, EUR: 4899, GBP: 4199 },
  },
  {
    id: 'p-1003',
    name: 'Site Reliability Engineering',
    category: 'books',
    prices: { USD: 3999, EUR: 3699, GBP: 3199 },
  },
  {
    id: 'p-2001',
    name: 'Mechanical keyboard',
    category: 'electronics',
    prices: { USD: 12900, EUR: 11900, GBP: 10500 },
  },
  {
    id: 'p-2002',
    name: 'USB-C dock',
    category: 'electronics',
    prices: { USD: 18900, EUR: 17500, GBP: 15500 },
  },
  {
    id: 'p-2003',
    name: 'Noise-cancelling headphones',
    category: 'electronics',
    prices: { USD: 29900, EUR: 27900, GBP: 24900 },
  },
  {
    id: 'p-3001',
    name: 'Pour-over coffee set',
    category: 'home',
    prices: { USD: 5900, EUR: 5500, GBP: 4700 },
  },
  { id: 'p-3002', name: 'Desk lamp', category: 'home', prices: { USD: 7900, EUR: 7300, GBP: 6300 } },
  { id: 'p-4001', name: 'Wooden puzzle', category: 'toys', prices: { USD: 2499, EUR: 2299, GBP: 1999 } },
  {
    id: 'p-4002',
    name: 'Building blocks, 500 pieces',
    category: 'toys',
    prices: { USD: 3999, EUR: 3699, GBP: 3199 },
  },
];
