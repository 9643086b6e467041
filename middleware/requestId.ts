import { randomUUID } from 'node:crypto';

const SANE_ID = /^[A-Za-z0-9._:+=@/-]+$/;

/** Keeps an incoming request id when it is short and plain; otherwise makes a new UUID. */
export function pickRequestId(incoming: string | string[] | undefined, maxLength: number): string {
  if (typeof incoming === 'string' && incoming.length > 0 && incoming.length <= maxLength && SANE_ID.test(incoming)) {
    return incoming;
  }
  return randomUUID();
}
