/** The four demo services, in start order, with their port offset from PORT_BASE. */
export const DEMO_SERVICES = [
  { name: 'user-service', offset: 1 },
  { name: 'product-service', offset: 2 },
  { name: 'order-service', offset: 3 },
  { name: 'payment-service', offset: 4 },
] as const;

/** One of the demo's service names. */
export type DemoServiceName = (typeof DEMO_SERVICES)[number]['name'];

/** PORT_BASE from the environment (default 3000), validated. */
export function portBase(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORT_BASE ?? '3000';
  const base = Number(raw);
  if (!Number.isInteger(base) || base < 1 || base > 65530) {
    throw new Error(
      `PORT_BASE is ${JSON.stringify(raw)}; expected an integer from 1 to 65530 (services use PORT_BASE+1..+4)`,
    );
  }
  return base;
}

/** The port of one service for a PORT_BASE. */
export function servicePort(name: DemoServiceName, base: number): number {
  return base + DEMO_SERVICES.find((s) => s.name === name)!.offset;
}

/** Base URL of one service on the loopback interface. */
export function serviceUrl(name: DemoServiceName, base: number): string {
  return `http://127.0.0.1:${servicePort(name, base)}`;
}
