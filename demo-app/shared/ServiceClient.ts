import { HttpError } from './HttpError';

/** A JSON answer of another service. */
export interface ServiceResponse<T> {
  readonly status: number;
  readonly body: T;
}

/** The `fetch` signature; the services pass `obs.tracing.fetch`. */
export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Calls another demo service over HTTP. Given `obs.tracing.fetch`, each call is a CLIENT
 * span that sends the W3C `traceparent`, so the callee's spans join the caller's trace.
 * A refused connection, a timeout or a 5xx answer become a 502/503/504 HttpError;
 * 4xx answers are returned for the caller to judge.
 */
export class ServiceClient {
  constructor(
    readonly service: string,
    private readonly baseUrl: string,
    private readonly fetchFn: FetchFn = fetch,
    private readonly timeoutMs = 5000,
  ) {}

  get<T>(path: string): Promise<ServiceResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<ServiceResponse<T>> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<ServiceResponse<T>> {
    let response: Response;
    try {
      response = await this.fetchFn(this.baseUrl + path, {
        method,
        headers:
          body === undefined
            ? { accept: 'application/json' }
            : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const timedOut = (e as Error).name === 'TimeoutError';
      throw new HttpError(
        timedOut ? 504 : 503,
        `${this.service} ${timedOut ? 'did not answer in time' : 'is unreachable'}`,
      );
    }
    const text = await response.text();
    if (response.status >= 500) throw new HttpError(502, `${this.service} failed with ${response.status}`);
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}
