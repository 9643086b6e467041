import { ObservabilityConfigError } from '../../configError';
import { messageWithCauses } from '../messageWithCauses';
import type { HealthCheckDefinition } from '../healthTypes';
import { checkOptions, elapsedMs, withPolicy, type CheckPolicyOptions } from './checkPolicy';

/** Options of {@link http}. */
export interface HttpCheckOptions extends CheckPolicyOptions {
  /** Status codes that count as healthy. Default: any 2xx. */
  readonly expectStatus?: number | readonly number[];
  /** Request headers, for example an authorization header of the dependency. Default: none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Request method. Default: `GET`. */
  readonly method?: 'GET' | 'HEAD';
}

const OPTION = 'checks.http';

/**
 * Checks a dependency service over HTTP: healthy when it answers with an expected
 * status (default 2xx). Uses `fetch` with the checker's AbortSignal, so a dependency
 * that never answers is cut off at the check's timeout. Critical by default.
 * Credentials in the URL are sent as basic auth. Details: url (without credentials
 * or query), statusCode, latencyMs.
 */
export function http(url: string | URL, options?: HttpCheckOptions): HealthCheckDefinition {
  const o = checkOptions(OPTION, options, ['expectStatus', 'headers', 'method']);
  const target = parseUrl(url);
  const shown = `${target.origin}${target.pathname}`;
  const accepts = expectedStatus(o.expectStatus);
  const expected = o.expectStatus === undefined ? '2xx' : [o.expectStatus].flat().join(' or ');
  const headers = withCredentials(target, validHeaders(o.headers));
  const method = o.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    throw new ObservabilityConfigError(`${OPTION}.method`, method, '"GET" or "HEAD"');
  }

  const check = async (signal: AbortSignal): Promise<Record<string, unknown>> => {
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(target, { method, headers, signal });
    } catch (error) {
      throw new Error(
        `${method} ${shown} failed: ${messageWithCauses(isFetchFailure(error) ? error.cause : error)}`,
      );
    }
    // Release the connection now instead of leaving an unread body to the garbage collector.
    await response.body?.cancel().catch(() => undefined);
    const latencyMs = elapsedMs(started);
    if (!accepts(response.status)) {
      throw new Error(`${method} ${shown} answered ${response.status}; expected ${expected}`);
    }
    return { url: shown, statusCode: response.status, latencyMs };
  };
  return withPolicy(OPTION, check, o, true);
}

function parseUrl(url: unknown): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(String(url));
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ObservabilityConfigError(
      `${OPTION}(url)`,
      url,
      'an absolute http:// or https:// URL, for example "http://127.0.0.1:3004/health/live"',
    );
  }
  return parsed;
}

/**
 * fetch refuses a URL with credentials; move them to a basic authorization header
 * (unless one is given) so `http://user:pw@host/health` works as users expect.
 */
function withCredentials(
  target: URL,
  headers: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!target.username && !target.password) return headers;
  const user = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  target.username = '';
  target.password = '';
  if (headers && Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) return headers;
  return { ...headers, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

function expectedStatus(value: unknown): (status: number) => boolean {
  if (value === undefined) return (s) => s >= 200 && s < 300;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)) {
    throw new ObservabilityConfigError(
      `${OPTION}.expectStatus`,
      value,
      'an HTTP status code (100-599) or a non-empty array of them',
    );
  }
  const set = new Set<number>(list);
  return (s) => set.has(s);
}

function validHeaders(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !Object.values(value).every((v) => typeof v === 'string')
  ) {
    throw new ObservabilityConfigError(
      `${OPTION}.headers`,
      value,
      'an object of header names to string values',
    );
  }
  return { ...(value as Record<string, string>) };
}

/** fetch reports "fetch failed" and hides the reason in `cause`; the reason is what helps. */
function isFetchFailure(error: unknown): error is { cause: unknown } {
  return typeof error === 'object' && error !== null && (error as { cause?: unknown }).cause !== undefined;
}
