import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** What one peer answered. */
export interface PeerAnswer {
  readonly peer: string;
  readonly ok: boolean;
  /** The parsed JSON body of a 200 answer. */
  readonly body?: unknown;
  /** Why there is no body: the HTTP status, a timeout, a refused connection. */
  readonly error?: string;
}

const MAX_BODY = 8 * 1024 * 1024;

/**
 * Asks each configured peer console for `path` (built by the caller from validated parts,
 * never from a URL in the request), at most `timeoutMs` each, in parallel. The fetches are
 * not traced: reading traces must not add traces. Never rejects.
 */
export async function askPeers(
  peers: readonly string[],
  path: string,
  options: { readonly timeoutMs: number; readonly token: string | undefined },
): Promise<PeerAnswer[]> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return Promise.all(
    peers.map((peer) =>
      context.with(suppressTracing(context.active()), () => ask(peer, path, headers, options.timeoutMs)),
    ),
  );
}

async function ask(
  peer: string,
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PeerAnswer> {
  try {
    const res = await fetch(`${peer}${path}`, {
      headers,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      return { peer, ok: false, error: `HTTP ${res.status}` };
    }
    const text = await res.text();
    if (text.length > MAX_BODY) return { peer, ok: false, error: 'answer too large' };
    return { peer, ok: true, body: JSON.parse(text) as unknown };
  } catch (e) {
    const name = (e as { name?: unknown } | null)?.name;
    return {
      peer,
      ok: false,
      error:
        name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : e instanceof Error
            ? e.message
            : String(e),
    };
  }
}
