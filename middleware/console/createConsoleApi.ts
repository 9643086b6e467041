import type { Request, Response } from 'express';
import type { PeerAnswer } from '../../lib/console/askPeers';
import type { ConsoleData } from '../../lib/console/createConsole';
import type { LogRecord } from '../../lib/console/LogRing';
import { SLOTS } from '../../lib/console/RedSeries';
import { listTraces } from '../../lib/console/traceList';
import type { ObservabilityCore } from '../../lib/createObservabilityCore';
import type { SpanRecord } from '../../lib/tracing/SpanRingBuffer';

const TRACE_ID = /^[0-9a-f]{32}$/;
const LEVELS: Readonly<Record<string, number>> = {
  error: 0,
  warn: 1,
  info: 2,
  http: 3,
  verbose: 4,
  debug: 5,
  silly: 6,
};

/** Asks every configured peer for a path of its console API (built here from validated parts only). */
export type PeerAsk = (path: string) => Promise<PeerAnswer[]>;

/** The console's JSON routes under `{path}/api/` (docs/console.md): one function dispatching on the name. */
export function createConsoleApi(
  obs: ObservabilityCore,
  data: ConsoleData,
  ask: PeerAsk,
): (name: string, req: Request, res: Response) => Promise<void> {
  const service = obs.config.serviceName;
  const startedAt = new Date(Date.now() - process.uptime() * 1000).toISOString();
  const handlers: Record<string, (req: Request, res: Response) => Promise<void> | void> = {
    async overview(_req, res) {
      const health = await obs.health.report({ deadlineMs: obs.config.health.probeDeadlineMs });
      res.json({
        service,
        version: obs.config.serviceVersion,
        environment: obs.config.environment,
        startedAt,
        uptimeSeconds: Math.round(process.uptime()),
        node: process.version,
        pid: process.pid,
        peers: data.options.peers.length,
        memory: data.memory(),
        health,
      });
    },
    series(req, res) {
      const minutes = int(param(req, 'minutes'), 60, 1, 60);
      const method = param(req, 'method');
      const route = param(req, 'route');
      const series =
        method !== undefined && route !== undefined ? data.series.series(method, route) : data.series.overall;
      res.json({
        service,
        stepSeconds: 10,
        points: series ? series.points(Date.now(), Math.min(SLOTS, minutes * 6)) : [],
      });
    },
    routes(req, res) {
      // A process younger than the window has had only its uptime to serve requests in.
      const windowSeconds = Math.min(
        int(param(req, 'window'), 300, 10, 3600),
        Math.max(10, Math.ceil(process.uptime() / 10) * 10),
      );
      res.json({ service, windowSeconds, routes: data.series.rows(Date.now(), windowSeconds) });
    },
    traces(req, res) {
      const traceId = param(req, 'traceId')?.toLowerCase();
      const status = param(req, 'status');
      const minMs = param(req, 'minMs');
      const traces = listTraces(obs.tracing.recentSpans(), {
        route: param(req, 'route') || undefined,
        status: status && /^([1-5]xx|[1-5]\d\d)$/.test(status) ? status : undefined,
        errorOnly: param(req, 'error') === '1',
        minMs: minMs && Number.isFinite(Number(minMs)) ? Number(minMs) : undefined,
        traceId: traceId && /^[0-9a-f]{1,32}$/.test(traceId) ? traceId : undefined,
        sort: param(req, 'sort') === 'slowest' ? 'slowest' : 'recent',
        limit: int(param(req, 'limit'), 100, 1, 500),
      });
      res.json({ service, traces });
    },
    async logs(req, res) {
      const traceId = param(req, 'trace_id')?.toLowerCase();
      if (traceId !== undefined && traceId !== '' && !TRACE_ID.test(traceId)) {
        res.status(400).json({ error: 'a trace id is 32 hexadecimal characters' });
        return;
      }
      const limit = int(param(req, 'limit'), 500, 1, 2000);
      const keep = logFilter(
        param(req, 'level'),
        param(req, 'q'),
        traceId || undefined,
        param(req, 'request_id'),
      );
      let records: LogRecord[] = data.logs.records(limit, keep);
      let peers: PeerSummary[] = [];
      if (traceId && param(req, 'local') !== '1' && data.options.peers.length > 0) {
        const answers = await ask(`/api/logs?local=1&limit=${limit}&trace_id=${traceId}`);
        peers = answers.map((a) => summarizePeer(a, 'records'));
        for (const a of answers) records = records.concat(listOf(a, 'records') as LogRecord[]);
        records.sort((a, b) => String(b.timestamp).localeCompare(String(a.timestamp)));
        records = records.slice(0, limit);
      }
      res.json({ service, records, peers });
    },
    errors(req, res) {
      res.json({ service, errors: data.errorsNewest(int(param(req, 'limit'), 100, 1, 1000)) });
    },
  };

  return async (name, req, res) => {
    if (name.startsWith('traces/')) {
      await trace(name.slice(7).toLowerCase(), req, res);
      return;
    }
    const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    if (!handler) {
      res.status(404).json({ error: 'no such console route', routes: Object.keys(handlers) });
      return;
    }
    await handler(req, res);
  };

  // One trace's spans here and, unless `local=1` (what a peer is asked), at every peer, merged.
  async function trace(traceId: string, req: Request, res: Response): Promise<void> {
    if (!TRACE_ID.test(traceId)) {
      res.status(400).json({ error: 'a trace id is 32 hexadecimal characters' });
      return;
    }
    let spans = obs.tracing.traceById(traceId);
    let peers: PeerSummary[] = [];
    if (param(req, 'local') !== '1' && data.options.peers.length > 0) {
      const answers = await ask(`/api/traces/${traceId}?local=1`);
      peers = answers.map((a) => summarizePeer(a, 'spans'));
      const seen = new Set(spans.map((s) => s.spanId));
      for (const a of answers) {
        for (const s of listOf(a, 'spans') as SpanRecord[]) {
          if (s.traceId === traceId && typeof s.spanId === 'string' && !seen.has(s.spanId)) {
            seen.add(s.spanId);
            spans = [...spans, s];
          }
        }
      }
      spans.sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
    }
    res.json({
      service,
      traceId,
      spans,
      services: [...new Set(spans.map((s) => s.service ?? 'unknown'))],
      peers,
    });
  }
}

interface PeerSummary {
  readonly peer: string;
  readonly ok: boolean;
  readonly count: number;
  readonly error?: string;
}

function summarizePeer(a: PeerAnswer, key: string): PeerSummary {
  return a.ok
    ? { peer: a.peer, ok: true, count: listOf(a, key).length }
    : { peer: a.peer, ok: false, count: 0, error: a.error };
}

// The objects of one list in a peer's answer: a peer is trusted as far as its shape, no further.
function listOf(a: PeerAnswer, key: string): object[] {
  const list =
    a.ok && typeof a.body === 'object' && a.body !== null
      ? (a.body as Record<string, unknown>)[key]
      : undefined;
  return Array.isArray(list) ? list.filter((x): x is object => typeof x === 'object' && x !== null) : [];
}

function logFilter(
  level: string | undefined,
  q: string | undefined,
  traceId: string | undefined,
  requestId: string | undefined,
): (r: LogRecord, line: string) => boolean {
  const max = level !== undefined && Object.hasOwn(LEVELS, level) ? LEVELS[level]! : Infinity;
  const text = q ? q.toLowerCase() : undefined;
  return (r, line) => {
    if (max !== Infinity && !((LEVELS[String(r.level)] ?? Infinity) <= max)) return false;
    if (traceId !== undefined && r.trace_id !== traceId) return false;
    if (requestId && r.request_id !== requestId) return false;
    if (text !== undefined && !line.toLowerCase().includes(text)) return false;
    return true;
  };
}

function param(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v.slice(0, 200) : undefined;
}

function int(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}
