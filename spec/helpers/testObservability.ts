import type { ObservabilityOptions } from '../../lib/config';
import { createObservability, type Observability } from '../../middleware/createObservability';
import { MemoryTransport } from './memoryTransport';

const open: Observability[] = [];

/** A fresh instance with an in-memory log transport; shut down by {@link closeAll}. */
export function testObservability(options: ObservabilityOptions = {}): { obs: Observability; logs: MemoryTransport } {
  const logs = new MemoryTransport();
  const obs = createObservability({
    serviceName: 'test-service',
    serviceVersion: '1.2.3',
    environment: 'test',
    global: false,
    ...options,
    logging: { transports: [logs], level: 'debug', ...options.logging },
  });
  open.push(obs);
  return { obs, logs };
}

/** Shuts down every instance made by {@link testObservability}. */
export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((o) => o.shutdown()));
}
