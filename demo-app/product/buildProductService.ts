import { HttpError } from '../shared/HttpError';
import type { ServiceContext, ServiceParts } from '../shared/startService';
import { ProductService, type Product } from './ProductService';

/** Most ids one lookup may ask for: bounds the query and the answer. */
const MAX_IDS = 50;

/** product-service: GET /products (optionally ?category= or ?ids=a,b), GET /products/:id. */
export function buildProductService({ storage }: ServiceContext): ServiceParts {
  return {
    async mount(app, obs) {
      const service = new ProductService(storage.collection<Product>('products'), obs);
      await service.seed();
      app.get('/products', async (req, res) => {
        const { ids, category } = req.query;
        if (typeof ids === 'string') {
          const list = ids.split(',').filter(Boolean);
          if (list.length === 0 || list.length > MAX_IDS)
            throw new HttpError(400, `ids must list 1 to ${MAX_IDS} product ids`);
          res.json(await service.lookup(list));
          return;
        }
        res.json(await service.list(typeof category === 'string' ? category : undefined));
      });
      app.get('/products/:id', async (req, res) => {
        res.json(await service.view(req.params.id));
      });
    },
  };
}
