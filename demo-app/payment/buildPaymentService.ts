import type { ServiceContext, ServiceParts } from '../shared/startService';
import { FailureSwitch } from './FailureSwitch';
import { PaymentService, type Payment } from './PaymentService';

/**
 * payment-service: POST /payments charges an order (201 captured, 402 declined);
 * POST /admin/failure { mode: 'error' | 'slow' | 'off', slowMs } switches the provider's
 * behaviour for demos and tests (loopback only, like the whole demo).
 */
export function buildPaymentService({ storage, env }: ServiceContext): ServiceParts {
  const provider = new FailureSwitch(env);
  return {
    // Non-critical: a provider outage makes the service degraded, not unready. Taking
    // every instance out of the load balancer would not bring the provider back.
    checks: { 'payment-provider': { check: provider.check, critical: false, cacheMs: 500 } },
    async mount(app, obs) {
      const payments = storage.collection<Payment>('payments');
      await payments.init();
      const service = new PaymentService(payments, provider, obs);
      app.post('/payments', async (req, res) => {
        const payment = await service.charge(req.body ?? {});
        res.status(payment.status === 'captured' ? 201 : 402).json(payment);
      });
      app.get('/admin/failure', (_req, res) => {
        res.json({ mode: provider.mode, slowMs: provider.slowMs });
      });
      app.post('/admin/failure', (req, res) => {
        const setting = provider.set(req.body ?? {});
        obs.logger.warn('payment provider failure mode changed', setting);
        res.json(setting);
      });
    },
  };
}
