import { ObservabilityConfigError } from '../../configError';
import { messageWithCauses } from '../messageWithCauses';
import type { HealthCheckDefinition } from '../healthTypes';
import { checkOptions, elapsedMs, withPolicy, type CheckPolicyOptions } from './checkPolicy';

/**
 * What the Redis check needs of a client, typed by shape: node-redis (v4 and later)
 * exposes `isReady`/`isOpen`, ioredis exposes `status`; both answer `ping()`.
 */
export interface RedisPingable {
  ping(): Promise<unknown>;
  /** node-redis: connected and ready for commands. */
  readonly isReady?: boolean;
  /** node-redis: `connect()` was called and `quit()`/`close()` was not. */
  readonly isOpen?: boolean;
  /** ioredis: `ready`, `connecting`, `reconnecting`, `wait`, `end`, ... */
  readonly status?: string;
}

/** Options of {@link redis}. Only the policy fields. */
export type RedisCheckOptions = CheckPolicyOptions;

const OPTION = 'checks.redis';

/**
 * Checks Redis with `PING` through the app's own client (node-redis or ioredis).
 * It never connects: a client that is not ready fails at once instead of queueing
 * the PING in its offline queue until the timeout. Connect the client at startup.
 * Critical by default. Details: latencyMs and the client kind.
 */
export function redis(client: RedisPingable, options?: RedisCheckOptions): HealthCheckDefinition {
  if (!client || typeof (client as { ping?: unknown }).ping !== 'function') {
    throw new ObservabilityConfigError(
      `${OPTION}(client)`,
      client,
      'a node-redis or ioredis client (an object with a ping() method)',
    );
  }
  const o = checkOptions(OPTION, options, []);
  const kind =
    typeof client.isReady === 'boolean'
      ? 'node-redis'
      : typeof client.status === 'string'
        ? 'ioredis'
        : 'redis';

  const check = async (): Promise<Record<string, unknown>> => {
    const notReady = notReadyReason(client);
    if (notReady) throw new Error(`not connected (${notReady}); PING not sent`);
    const started = performance.now();
    let reply: unknown;
    try {
      reply = await client.ping();
    } catch (error) {
      throw new Error(`PING failed: ${messageWithCauses(error)}`);
    }
    if (reply !== 'PONG') throw new Error(`PING answered ${JSON.stringify(reply)}; expected "PONG"`);
    return { latencyMs: elapsedMs(started), client: kind };
  };
  return withPolicy(OPTION, check, o, true);
}

function notReadyReason(client: RedisPingable): string | undefined {
  if (typeof client.isReady === 'boolean') {
    if (client.isReady) return undefined;
    return client.isOpen ? 'node-redis client is connecting or reconnecting' : 'node-redis client is closed';
  }
  if (typeof client.status === 'string' && client.status !== 'ready')
    return `ioredis status "${client.status}"`;
  return undefined;
}
