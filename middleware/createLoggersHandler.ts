import type { Request, Response } from 'express';
import type { ObservabilityCore } from '../lib/createObservabilityCore';
import { MAX_LEVEL_DURATION_MS, ROOT_LOGGER } from '../lib/logging/LogLevels';
import type { OwnRouteHandler } from './createHealthHandlers';
import { mayShowDetails } from './healthResponse';

/** Marks an own route that answers POST and DELETE too (the others answer GET and HEAD only). */
export const kAcceptsWrites = Symbol.for('express-observability.acceptsWrites');

/** How long a level set without `durationSeconds` lasts: ten minutes. */
export const DEFAULT_LEVEL_DURATION_SECONDS = 600;

const NAME = /^[A-Za-z0-9_.:@/-]{1,128}$/;
const MAX_BODY_BYTES = 8192;
const MAX_SECONDS = MAX_LEVEL_DURATION_MS / 1000;

/**
 * The loggers route: `GET {path}` lists the root and the named child loggers with their
 * levels, `GET {path}/{name}` shows one, `POST {path}/{name}` with `{"level":"debug",
 * "durationSeconds":600}` sets a level that reverts by itself after the duration (default 10
 * minutes, at most a day), and `DELETE {path}/{name}` reverts it now. Callers are authorized
 * as for the health details (in production: the bearer token or `health.authorize`).
 */
export function createLoggersHandler(obs: ObservabilityCore): Map<string, OwnRouteHandler> {
  const routes = new Map<string, OwnRouteHandler>();
  const path = obs.config.logging.levelsPath;
  if (path === undefined) return routes;
  const levels = obs.logging.levels;

  const handler = async (req: Request, res: Response): Promise<void> => {
    res.setHeader('Cache-Control', 'no-store');
    if (!(await mayShowDetails(req, obs.config.health))) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer');
      res.json({ error: 'not authorized: send the health details token as a bearer token (health.token, HEALTH_DETAILS_TOKEN), or pass health.authorize' });
      return;
    }
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (req.path === path) {
      if (!read) return methodNotAllowed(res, 'GET, HEAD');
      res.json({ levels: levels.accepted, loggers: levels.list() });
      return;
    }
    const name = decodeName(req.path.slice(path.length + 1));
    if (name === undefined) {
      res.status(400).json({ error: `a logger name is "${ROOT_LOGGER}" or a component name of up to 128 letters, digits and _ . : @ / -` });
      return;
    }
    if (read) {
      res.json(levels.get(name));
      return;
    }
    const by = req.ip ?? req.socket.remoteAddress;
    if (req.method === 'DELETE') {
      res.json(levels.reset(name, by));
      return;
    }
    if (req.method !== 'POST') return methodNotAllowed(res, 'GET, HEAD, POST, DELETE');
    const body = await readJson(req);
    const problem = typeof body === 'string' ? body : validate(body, levels.accepted);
    if (problem !== undefined) {
      res.status(400).json({ error: problem, levels: levels.accepted, maxDurationSeconds: MAX_SECONDS });
      return;
    }
    const { level, durationSeconds = DEFAULT_LEVEL_DURATION_SECONDS } = body as { level: string; durationSeconds?: number };
    try {
      res.json(levels.set(name, level, durationSeconds * 1000, by));
    } catch (e) {
      res.status(e instanceof RangeError ? 409 : 500).json({ error: e instanceof Error ? e.message : 'the level could not be set' });
    }
  };
  const writable = Object.assign(handler, { [kAcceptsWrites]: true });
  routes.set(path, writable);
  routes.set(`${path}/*`, writable);
  return routes;
}

function methodNotAllowed(res: Response, allow: string): void {
  res.status(405).setHeader('Allow', allow);
  res.json({ error: `method not allowed here; allowed: ${allow}` });
}

function decodeName(raw: string): string | undefined {
  try {
    const name = decodeURIComponent(raw);
    return NAME.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/** What is wrong with the body, or undefined. */
function validate(body: unknown, accepted: readonly string[]): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'the body is a JSON object such as {"level":"debug","durationSeconds":600}';
  }
  const { level, durationSeconds } = body as { level?: unknown; durationSeconds?: unknown };
  if (typeof level !== 'string' || !accepted.includes(level)) {
    return `level ${JSON.stringify(level ?? null)} is not one of ${accepted.join(', ')}`;
  }
  if (durationSeconds !== undefined && (typeof durationSeconds !== 'number' || !Number.isFinite(durationSeconds) || durationSeconds <= 0 || durationSeconds > MAX_SECONDS)) {
    return `durationSeconds ${JSON.stringify(durationSeconds)} is not a number of seconds above 0 and at most ${MAX_SECONDS} (default ${DEFAULT_LEVEL_DURATION_SECONDS})`;
  }
  return undefined;
}

/**
 * The request's JSON body: the one a body parser mounted before the routes parsed, else read
 * here (at most 8 KiB). A string is what is wrong with it.
 */
async function readJson(req: Request): Promise<unknown> {
  const parsed: unknown = req.body;
  if (typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length > 0) return parsed;
  if (req.readableEnded) return parsed ?? {};
  let size = 0;
  const chunks: Buffer[] = [];
  // Read to the end even past the limit: leaving the loop early would destroy the request and its socket.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) return `the body is larger than ${MAX_BODY_BYTES} bytes`;
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return 'the body is not JSON; send {"level":"debug","durationSeconds":600}';
  }
}
