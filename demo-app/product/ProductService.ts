import { LRUCache } from 'lru-cache';
import type { Counter } from 'prom-client';
import { Logged, Metered, Traced, type Observability } from '../../index';
import { HttpError } from '../shared/HttpError';
import type { DocumentStore } from '../shared/storage/DocumentStore';
import { CATALOG, CATEGORIES, type Currency } from './productCatalog';

/** A product with its price in each currency, in minor units. */
export interface Product {
  readonly id: string;
  readonly name: string;
  readonly category: (typeof CATEGORIES)[number];
  readonly prices: Readonly<Record<Currency, number>>;
}

/**
 * The catalog, read through a small cache in front of the store. Views are counted
 * by category (a fixed set), never by product id, which would be unbounded.
 */
export class ProductService {
  private readonly cache = new LRUCache<string, Product>({ max: 500, ttl: 30_000 });
  private readonly views: Counter<'category'> | undefined;
  private readonly hits: Counter<'cache'> | undefined;
  private readonly misses: Counter<'cache'> | undefined;

  constructor(
    private readonly products: DocumentStore<Product>,
    obs: Observability,
  ) {
    const define = obs.metrics?.define;
    this.views = define?.counter({
      name: 'product_views_total',
      help: 'Product pages viewed, by category.',
      labelNames: ['category'],
    });
    this.hits = define?.counter({
      name: 'cache_hits_total',
      help: 'Cache lookups answered from the cache.',
      labelNames: ['cache'],
    });
    this.misses = define?.counter({
      name: 'cache_misses_total',
      help: 'Cache lookups that went to the store.',
      labelNames: ['cache'],
    });
  }

  /** Loads the catalog into an empty store. */
  async seed(): Promise<void> {
    await this.products.init();
    await Promise.all(CATALOG.map((p) => this.products.insert(p)));
  }

  @Traced()
  @Metered()
  async list(category?: string): Promise<Product[]> {
    if (category !== undefined && !(CATEGORIES as readonly string[]).includes(category)) {
      throw new HttpError(400, `category must be one of ${CATEGORIES.join(', ')}`);
    }
    const all = await this.products.list(1000);
    return category === undefined ? all : all.filter((p) => p.category === category);
  }

  /** A customer viewing one product page: counted as a view. */
  @Traced()
  @Metered()
  @Logged()
  async view(id: string): Promise<Product> {
    const [product] = await this.lookup([id]);
    if (!product) throw new HttpError(404, 'no such product');
    this.views?.inc({ category: product.category });
    return product;
  }

  /** Products by id for another service (pricing an order): not a view. Unknown ids are left out. */
  @Traced()
  @Metered()
  async lookup(ids: readonly string[]): Promise<Product[]> {
    const found: Product[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const cached = this.cache.get(id);
      if (cached) found.push(cached);
      else missing.push(id);
    }
    if (found.length) this.hits?.inc({ cache: 'product' }, found.length);
    if (missing.length) {
      this.misses?.inc({ cache: 'product' }, missing.length);
      for (const p of await this.products.getMany(missing)) {
        this.cache.set(p.id, p);
        found.push(p);
      }
    }
    return found;
  }
}
