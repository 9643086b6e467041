import { checks } from '../../index';
import { ServiceClient } from '../shared/ServiceClient';
import { serviceUrl, type DemoServiceName } from '../shared/serviceNames';
import type { ServiceContext, ServiceParts } from '../shared/startService';
import { OrderService, type Order } from './OrderService';

/**
 * order-service: POST /orders, GET /orders/:id, POST /orders/:id/complete,
 * POST /orders/:id/cancel. Depends on user, product and payment services.
 */
export function buildOrderService({ storage, portBase }: ServiceContext): ServiceParts {
  const url = (name: DemoServiceName): string => serviceUrl(name, portBase);
  // Dependencies are non-critical: with one down, order-service is degraded (detailed 503,
  // ready 200). Marking itself unready would only spread the outage to everything upstream.
  const dependency = (name: DemoServiceName) =>
    checks.http(`${url(name)}/health/ready`, { critical: false, timeoutMs: 1000, cacheMs: 1000 });
  return {
    checks: {
      'user-service': dependency('user-service'),
      'product-service': dependency('product-service'),
      'payment-service': dependency('payment-service'),
    },
    async mount(app, obs) {
      const orders = storage.collection<Order>('orders');
      await orders.init();
      const client = (name: DemoServiceName): ServiceClient =>
        new ServiceClient(name, url(name), obs.tracing.fetch);
      const deps = {
        users: client('user-service'),
        products: client('product-service'),
        payments: client('payment-service'),
      };
      const service = new OrderService(orders, deps, obs);
      app.post('/orders', async (req, res) => {
        const order = await service.place(req.body);
        res.status(order.status === 'payment_declined' ? 402 : 201).json(order);
      });
      app.get('/orders/:id', async (req, res) => {
        res.json(await service.get(req.params.id));
      });
      app.post('/orders/:id/complete', async (req, res) => {
        res.json(await service.complete(req.params.id));
      });
      app.post('/orders/:id/cancel', async (req, res) => {
        res.json(await service.cancel(req.params.id));
      });
    },
  };
}
