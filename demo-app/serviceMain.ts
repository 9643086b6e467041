/**
 * Runs one demo service in this process: `ts-node demo-app/serviceMain.ts order-service`.
 * `npm run demo` starts one of these per service; PORT_BASE and DATABASE_URL come from
 * the environment.
 */
import { buildOrderService } from './order/buildOrderService';
import { buildPaymentService } from './payment/buildPaymentService';
import { buildProductService } from './product/buildProductService';
import { DEMO_SERVICES, type DemoServiceName } from './shared/serviceNames';
import { startService, type ServiceContext, type ServiceParts } from './shared/startService';
import { buildUserService } from './user/buildUserService';

const BUILDERS: Record<DemoServiceName, (ctx: ServiceContext) => ServiceParts> = {
  'user-service': buildUserService,
  'product-service': buildProductService,
  'order-service': buildOrderService,
  'payment-service': buildPaymentService,
};

const name = process.argv[2] as DemoServiceName;
if (!DEMO_SERVICES.some((s) => s.name === name)) {
  console.error(`usage: serviceMain.ts <${DEMO_SERVICES.map((s) => s.name).join('|')}>`);
  process.exit(2);
}
startService(name, BUILDERS[name]).catch((e: unknown) => {
  console.error(`${name} failed to start:`, e);
  process.exit(1);
});
