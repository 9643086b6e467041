import type { SpanRecord } from '../tracing/SpanRingBuffer';

/** One recent trace in the console's list, described by its root span. */
export interface ConsoleTrace {
  readonly traceId: string;
  readonly name: string;
  readonly method: string | undefined;
  readonly route: string | undefined;
  readonly status: number | undefined;
  readonly startTime: string;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly services: readonly string[];
  readonly error: boolean;
}

/** Filters of the traces list, as the page's URL carries them. */
export interface TraceFilter {
  readonly route?: string;
  /** An exact status (`404`) or a class (`5xx`). */
  readonly status?: string;
  readonly errorOnly?: boolean;
  readonly minMs?: number;
  /** A prefix of the trace id. */
  readonly traceId?: string;
  readonly sort?: 'recent' | 'slowest';
  readonly limit: number;
}

/** Groups spans (newest first, as the span ring gives them) into traces and filters them. */
export function listTraces(spans: readonly SpanRecord[], filter: TraceFilter): ConsoleTrace[] {
  const byTrace = new Map<string, SpanRecord[]>();
  for (const s of spans) {
    const list = byTrace.get(s.traceId);
    if (list) list.push(s);
    else byTrace.set(s.traceId, [s]);
  }
  const out: ConsoleTrace[] = [];
  for (const [traceId, list] of byTrace) {
    const t = describe(traceId, list);
    if (keep(t, filter)) out.push(t);
  }
  if (filter.sort === 'slowest') out.sort((a, b) => b.durationMs - a.durationMs);
  return out.slice(0, filter.limit);
}

function describe(traceId: string, spans: readonly SpanRecord[]): ConsoleTrace {
  let start = Infinity;
  let end = -Infinity;
  let error = false;
  const services = new Set<string>();
  for (const s of spans) {
    const t0 = Date.parse(s.startTime);
    if (t0 < start) start = t0;
    if (t0 + s.durationMs > end) end = t0 + s.durationMs;
    if (s.status.code === 'ERROR') error = true;
    if (s.service) services.add(s.service);
  }
  // The earliest span without a parent here; the earliest of all when the root is elsewhere.
  const roots = spans.filter((s) => s.parentSpanId === undefined);
  const root = (roots.length > 0 ? roots : spans).reduce((a, b) =>
    Date.parse(b.startTime) < Date.parse(a.startTime) ? b : a,
  );
  const a = root.attributes;
  const status = a['http.response.status_code'];
  const route = a['http.route'];
  const method = a['http.request.method'];
  return {
    traceId,
    name: root.name,
    method: typeof method === 'string' ? method : undefined,
    route: typeof route === 'string' ? route : undefined,
    status: typeof status === 'number' ? status : undefined,
    startTime: new Date(start).toISOString(),
    durationMs: Math.round((end - start) * 1000) / 1000,
    spanCount: spans.length,
    services: [...services],
    error,
  };
}

function keep(t: ConsoleTrace, f: TraceFilter): boolean {
  if (f.route !== undefined && t.route !== f.route) return false;
  if (f.errorOnly && !t.error) return false;
  if (f.minMs !== undefined && t.durationMs < f.minMs) return false;
  if (f.traceId !== undefined && !t.traceId.startsWith(f.traceId)) return false;
  if (f.status !== undefined) {
    const s = t.status === undefined ? '' : String(t.status);
    if (/^[1-5]xx$/.test(f.status) ? s[0] !== f.status[0] : s !== f.status) return false;
  }
  return true;
}
