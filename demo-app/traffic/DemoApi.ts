import { serviceUrl, type DemoServiceName } from '../shared/serviceNames';

/** One request the traffic sent, as the services' metrics label it. */
export interface SentRequest {
  readonly service: DemoServiceName;
  readonly method: string;
  /** Route template, as in the `route` label. */
  readonly route: string;
  /** Status code, or 0 when the request got no answer. */
  readonly status: number;
}

/** A response: status and parsed JSON body (undefined without one). */
export interface ApiResponse {
  readonly status: number;
  readonly body: any;
}

/**
 * The demo's public API as the traffic generator calls it. Each call records what it
 * sent (service, method, route template, status) so a run can be compared with what
 * Prometheus scraped.
 */
export class DemoApi {
  readonly sent: SentRequest[] = [];

  constructor(
    private readonly portBase: number,
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  async call(
    service: DemoServiceName,
    method: string,
    route: string,
    path: string,
    body?: unknown,
  ): Promise<ApiResponse> {
    let status = 0;
    let parsed: unknown;
    try {
      const r = await fetch(serviceUrl(service, this.portBase) + path, {
        method,
        headers: { ...this.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      status = r.status;
      const text = await r.text();
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // No answer (service down or timed out): recorded with status 0.
    }
    this.sent.push({ service, method, route, status });
    return { status, body: parsed };
  }

  /** How many requests were sent, keyed `service method route status`. */
  tally(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.sent) {
      const key = `${r.service} ${r.method} ${r.route} ${r.status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }
}
