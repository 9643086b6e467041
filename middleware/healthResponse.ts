import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Response } from 'express';
import type { ResolvedHealthOptions } from '../lib/health/healthOptions';
import { IETF_STATUS } from '../lib/health/healthStatus';
import type { HealthReport, HealthStatus } from '../lib/health/healthTypes';

/**
 * True when this caller may see check details and error messages: always, never,
 * or (`authorized`) when `authorize(req)` gives `true` or the bearer token matches.
 */
export async function mayShowDetails(req: IncomingMessage, options: ResolvedHealthOptions): Promise<boolean> {
  if (options.showDetails === 'always') return true;
  if (options.showDetails === 'never') return false;
  if (options.token && bearerMatches(req.headers.authorization, options.token)) return true;
  if (!options.authorize) return false;
  try {
    // Strictly true: a truthy non-boolean (a forgotten await, a user object) must not open the details.
    return (await options.authorize(req)) === true;
  } catch {
    return false;
  }
}

function bearerMatches(header: string | undefined, token: string): boolean {
  if (typeof header !== 'string' || !/^bearer /i.test(header)) return false;
  // Digests have one length, so the comparison takes the same time whatever was sent.
  const given = createHash('sha256').update(header.slice(7).trim()).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected);
}

/** True when the caller's Accept asks for the IETF health-check format. */
export function wantsHealthJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.includes('application/health+json');
}

/** Sends a report: seed format or IETF `application/health+json`, details only when allowed. */
export function sendReport(
  req: IncomingMessage,
  res: Response,
  statusCode: number,
  report: HealthReport,
  showDetails: boolean,
  extra?: Record<string, unknown>,
): void {
  res.status(statusCode);
  res.setHeader('Cache-Control', 'no-store');
  if (wantsHealthJson(req)) {
    res.setHeader('Content-Type', 'application/health+json; charset=utf-8');
    res.end(JSON.stringify(showDetails ? ietf(report, extra) : { status: IETF_STATUS[report.status] }));
    return;
  }
  res.json(showDetails ? { ...report, ...extra } : { status: report.status });
}

/** Sends a bare status body (used when the lifecycle alone decides). */
export function sendStatus(
  req: IncomingMessage,
  res: Response,
  statusCode: number,
  status: HealthStatus,
  body: Record<string, unknown>,
  showDetails: boolean,
): void {
  res.status(statusCode);
  res.setHeader('Cache-Control', 'no-store');
  if (wantsHealthJson(req)) {
    res.setHeader('Content-Type', 'application/health+json; charset=utf-8');
    const output = typeof body.reason === 'string' ? { output: body.reason } : {};
    res.end(JSON.stringify({ status: IETF_STATUS[status], ...(showDetails ? output : {}) }));
    return;
  }
  res.json(showDetails ? { status, ...body } : { status });
}

function ietf(report: HealthReport, extra?: Record<string, unknown>): Record<string, unknown> {
  const checks: Record<string, unknown[]> = {};
  for (const [name, c] of Object.entries(report.checks)) {
    checks[name] = [
      {
        componentId: name,
        status: IETF_STATUS[c.status],
        time: c.checkedAt,
        observedValue: c.durationMs,
        observedUnit: 'ms',
        ...(c.error ? { output: c.error } : {}),
        ...(c.details ? { details: c.details } : {}),
      },
    ];
  }
  return {
    status: IETF_STATUS[report.status],
    version: report.version,
    serviceId: report.service,
    description: `health of ${report.service}`,
    ...(extra && typeof extra.reason === 'string' ? { output: extra.reason } : {}),
    checks,
  };
}
