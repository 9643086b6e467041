import { TraceFlags, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, SpanProcessor } from './createTracerProvider';

/** A finished span as plain JSON. */
export interface SpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  readonly service: string | undefined;
  /** ISO 8601. */
  readonly startTime: string;
  readonly durationMs: number;
  readonly status: { readonly code: 'UNSET' | 'OK' | 'ERROR'; readonly message?: string };
  readonly attributes: Attributes;
  readonly events: ReadonlyArray<{ readonly name: string; readonly time: string; readonly attributes?: Attributes }>;
}

/** One trace in the buffer, summarized. */
export interface TraceSummary {
  readonly traceId: string;
  /** Name of the root span, or of the earliest span held when the root is not here. */
  readonly name: string;
  readonly startTime: string;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly error: boolean;
}

const KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const CODES = ['UNSET', 'OK', 'ERROR'] as const;

/**
 * Keeps the last `capacity` sampled finished spans: the embedded trace backend for a machine
 * with nothing else installed. Ending a span costs one array store; JSON is built only when read.
 */
export class SpanRingBuffer implements SpanProcessor {
  private readonly spans: Array<ReadableSpan | undefined>;
  private next = 0;

  constructor(readonly capacity: number) {
    this.spans = new Array<ReadableSpan | undefined>(capacity);
  }

  onStart(_span: Span, _context: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.capacity === 0 || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.spans[this.next] = span;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first, at most `limit`. */
  recent(limit = this.capacity): SpanRecord[] {
    const out: SpanRecord[] = [];
    for (const span of this.newestFirst()) {
      if (out.length >= limit) break;
      out.push(toSpanRecord(span));
    }
    return out;
  }

  /** Spans of one trace, in start order. */
  trace(traceId: string): SpanRecord[] {
    return [...this.newestFirst()]
      .filter((s) => s.spanContext().traceId === traceId)
      .sort((a, b) => hrTimeToMilliseconds(a.startTime) - hrTimeToMilliseconds(b.startTime))
      .map(toSpanRecord);
  }

  /** Traces held, most recently finished first, at most `limit`. */
  traces(limit = 100): TraceSummary[] {
    const byTrace = new Map<string, ReadableSpan[]>();
    for (const span of this.newestFirst()) {
      const id = span.spanContext().traceId;
      const list = byTrace.get(id);
      if (list) list.push(span);
      else if (byTrace.size < limit) byTrace.set(id, [span]);
    }
    return [...byTrace].map(([traceId, spans]) => summarize(traceId, spans));
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  private *newestFirst(): Generator<ReadableSpan> {
    for (let i = 1; i <= this.capacity; i++) {
      const span = this.spans[(this.next - i + this.capacity) % this.capacity];
      if (span === undefined) return;
      yield span;
    }
  }
}

function summarize(traceId: string, spans: ReadableSpan[]): TraceSummary {
  let start = Infinity;
  let end = -Infinity;
  let root: ReadableSpan = spans[0]!;
  let error = false;
  for (const s of spans) {
    const t0 = hrTimeToMilliseconds(s.startTime);
    const t1 = hrTimeToMilliseconds(s.endTime);
    if (t0 < start) start = t0;
    if (t1 > end) end = t1;
    if (s.parentSpanContext === undefined || (root.parentSpanContext !== undefined && t0 < hrTimeToMilliseconds(root.startTime))) root = s;
    if (s.status.code === 2) error = true;
  }
  return { traceId, name: root.name, startTime: new Date(start).toISOString(), durationMs: round(end - start), spanCount: spans.length, error };
}

/** A finished span as JSON. */
export function toSpanRecord(span: ReadableSpan): SpanRecord {
  const ctx = span.spanContext();
  const service = span.resource.attributes['service.name'];
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    kind: KINDS[span.kind] ?? 'INTERNAL',
    service: typeof service === 'string' ? service : undefined,
    startTime: new Date(hrTimeToMilliseconds(span.startTime)).toISOString(),
    durationMs: round(hrTimeToMilliseconds(span.duration)),
    status: span.status.message ? { code: CODES[span.status.code] ?? 'UNSET', message: span.status.message } : { code: CODES[span.status.code] ?? 'UNSET' },
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, time: new Date(hrTimeToMilliseconds(e.time)).toISOString(), attributes: e.attributes })),
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
