import type { IncomingMessage } from 'node:http';
import type winston from 'winston';
import type Transport from 'winston-transport';
import { requestErrorType } from '../errorType';
import type { FinishedRequest } from '../requestLifecycle';
import { traceFlagsHex } from './correlation';
import { isoTimestamp } from './isoTimestamp';
import { prettyLine } from './prettyLine';
import type { LogLevels } from './LogLevels';
import type { Sanitizer } from './Sanitizer';

const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');

/** Fields of an access line after the common ones, in order (OTel semantic-convention names). */
export const ACCESS_FIELDS = [
  'http.request.method',
  'http.route',
  'url.path',
  'http.response.status_code',
  'http.server.request.duration',
  'http.request.body.size',
  'http.response.body.size',
  'user_agent.original',
  'client.address',
  'error.type',
  'exception',
] as const;

/** What the access log needs to know. */
export interface AccessLogSettings {
  readonly service: string;
  readonly sanitizer: Sanitizer;
  readonly pretty: boolean;
  readonly colors: boolean;
  readonly slowThresholdMs: number;
  readonly excludePaths: readonly (string | RegExp)[];
  readonly closed: () => boolean;
  readonly onError: (error: unknown) => void;
  /** Levels changed at run time (the access log is the logger named `access`). */
  readonly levels?: LogLevels;
}

/**
 * Builds the access-log writer. It runs once per request, so it skips winston's format
 * pipeline and logger stream: the record and its JSON line are built directly (the same
 * fields, names and redaction a formatted line would have) and written to each of the
 * logger's transports, which still apply their own level, format and output.
 */
export function createAccessLog(logger: winston.Logger, s: AccessLogSettings): (r: FinishedRequest) => void {
  const { sanitizer, service, pretty, colors, closed, onError } = s;
  const slowSeconds = s.slowThresholdMs / 1000;
  const excludedExact = new Set(s.excludePaths.filter((p): p is string => typeof p === 'string'));
  const excludedPatterns = s.excludePaths.filter((p): p is RegExp => p instanceof RegExp);
  const redacted = ACCESS_FIELDS.filter((k) => sanitizer.isSensitiveKey(k));
  // The hand-written JSON below holds only when no access field is redacted (the default).
  const handWritten = !pretty && redacted.length === 0;
  const serviceJson = JSON.stringify(service);
  const fields = `${serviceJson},"logger":"access"`;

  return function accessLog(r: FinishedRequest): void {
    try {
      if (
        closed() ||
        logger.silent ||
        excludedExact.has(r.path) ||
        (excludedPatterns.length > 0 && excluded(excludedPatterns, r.path))
      )
        return;
      const slow = r.durationSeconds >= slowSeconds;
      const status = r.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 || slow ? 'warn' : 'info';
      const levels = logger.levels;
      if (levels[level] > levels[logger.level] && !logger.isLevelEnabled(level)) return;
      if (s.levels !== undefined && s.levels.active && !s.levels.allows(level, 'access')) return;
      const message = r.aborted ? 'request aborted' : slow ? 'slow request' : 'request completed';
      const req = r.req;
      const userAgent = req.headers['user-agent'];
      const client = clientAddress(req);
      const route = r.route;
      const path = sanitizer.truncate(r.path);
      const timestamp = isoTimestamp();
      const record: Record<string | symbol, unknown> = {
        timestamp,
        level,
        message,
        service,
        logger: 'access',
      };
      // Sampled (a trace id is only kept then), with the W3C Level 2 random flag when set.
      const flags = r.traceId === undefined ? '01' : r.serverSpan ? traceFlagsHex(r.serverSpan.span.spanContext().traceFlags) : '01';
      if (r.traceId !== undefined) {
        record.trace_id = r.traceId;
        record.span_id = r.spanId;
        record.trace_flags = flags;
      }
      record.request_id = r.requestId;
      record['http.request.method'] = r.method;
      record['http.route'] = route;
      record['url.path'] = path;
      record['http.response.status_code'] = status;
      record['http.server.request.duration'] = r.durationSeconds;
      record['http.request.body.size'] = r.requestBytes;
      record['http.response.body.size'] = r.responseBytes;
      const ua = userAgent === undefined ? undefined : sanitizer.truncate(userAgent);
      if (ua !== undefined) record['user_agent.original'] = ua;
      if (client !== undefined) record['client.address'] = client;
      // Only a failed request has one (a 5xx or an abort, lib/errorType.ts), as on its span and
      // in its metric; a 4xx still shows the error it was answered for in `exception`.
      const errorType = requestErrorType(r);
      if (errorType !== undefined) record['error.type'] = errorType;
      let exception: unknown;
      if (r.error !== undefined && r.error !== null) {
        exception = sanitizer.value(r.error);
        record.exception = exception;
      }
      record[LEVEL] = level;
      if (handWritten) {
        let line = `{"timestamp":"${timestamp}","level":"${level}","message":"${message}","service":${fields}`;
        if (r.traceId !== undefined)
          line += `,"trace_id":"${r.traceId}","span_id":"${r.spanId}","trace_flags":"${flags}"`;
        line += `,"request_id":${JSON.stringify(r.requestId)},"http.request.method":${JSON.stringify(r.method)},"http.route":${JSON.stringify(route)},"url.path":${JSON.stringify(path)},"http.response.status_code":${status},"http.server.request.duration":${r.durationSeconds},"http.request.body.size":${r.requestBytes},"http.response.body.size":${r.responseBytes}`;
        if (ua !== undefined) line += `,"user_agent.original":${JSON.stringify(ua)}`;
        if (client !== undefined) line += `,"client.address":${JSON.stringify(client)}`;
        if (errorType !== undefined) line += `,"error.type":${JSON.stringify(errorType)}`;
        if (exception !== undefined) line += `,"exception":${JSON.stringify(exception)}`;
        record[MESSAGE] = line + '}';
      } else {
        for (const k of redacted) if (k in record) record[k] = sanitizer.marker;
        record[MESSAGE] = pretty ? prettyLine(record, colors) : JSON.stringify(record);
      }
      const transports = logger.transports;
      for (let i = 0; i < transports.length; i++) deliver(transports[i] as Transport, record, level);
    } catch (e) {
      onError(e);
    }
  };
}

type TransportState = Transport & {
  parent?: { level?: string };
  levels: Record<string, number>;
  _writableState?: { length: number; writing: boolean; corked: number; ended: boolean; destroyed: boolean };
};

function noop(): void {}

/**
 * Hands a finished line to a transport. When the transport's stream has nothing queued,
 * its `log` is called directly after the checks its stream would make (silent, level,
 * own format), which saves the stream machinery per request; otherwise the line is
 * queued behind the others with `write`, so order and back-pressure hold.
 */
export function deliver(transport: Transport, info: Record<string | symbol, unknown>, level: string): void {
  const t = transport as TransportState;
  const ws = t._writableState;
  if (
    ws === undefined ||
    ws.length > 0 ||
    ws.writing ||
    ws.corked > 0 ||
    ws.ended ||
    ws.destroyed ||
    t.format !== undefined
  ) {
    t.write(info);
    return;
  }
  if (t.silent) return;
  const threshold = t.level || t.parent?.level;
  if (threshold && t.levels !== undefined && t.levels[threshold] < t.levels[level]) return;
  t.log?.(info, noop);
}

function excluded(patterns: readonly RegExp[], path: string): boolean {
  for (const p of patterns) {
    p.lastIndex = 0;
    if (p.test(path)) return true;
  }
  return false;
}

/**
 * Express's `req.ip` honours `trust proxy`; it parses X-Forwarded-For on every read, so it
 * is read only when the app trusts a proxy (otherwise it is the socket address anyway).
 * A plain Node request has only its socket.
 */
function clientAddress(req: IncomingMessage): string | undefined {
  const app = (req as { app?: { get?: (setting: string) => unknown } }).app;
  if (app !== undefined && typeof app.get === 'function' && app.get('trust proxy')) {
    const ip = (req as { ip?: unknown }).ip;
    if (typeof ip === 'string' && ip !== '') return ip;
  }
  return req.socket?.remoteAddress;
}
