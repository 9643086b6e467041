import type { Request, Response } from 'express';
import { askPeers } from '../../lib/console/askPeers';
import { loadConsoleAssets, type ConsoleAsset } from '../../lib/console/consoleAssets';
import type { ObservabilityCore } from '../../lib/createObservabilityCore';
import type { OwnRouteHandler } from '../createHealthHandlers';
import { mayShowDetails } from '../healthResponse';
import { createConsoleApi } from './createConsoleApi';

/** The page's policy: its own scripts, styles and JSON only; no inline script, no other origin. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const ASSET = /^assets\/([A-Za-z.]+)$/;

/**
 * The console's routes: `{path}` redirects to `{path}/`, the page, its assets under
 * `{path}/assets/` and its JSON under `{path}/api/` (docs/console.md). Served only when the
 * console is enabled, and then only to callers authorized like the health details (everyone
 * outside production by default); others get 401 and nothing else.
 */
export function createConsoleHandlers(obs: ObservabilityCore): Map<string, OwnRouteHandler> {
  const routes = new Map<string, OwnRouteHandler>();
  const data = obs.console;
  if (!data) return routes;
  const base = data.options.path;
  const api = createConsoleApi(obs, data, (path) =>
    askPeers(data.options.peers, path, {
      timeoutMs: data.options.peerTimeoutMs,
      token: obs.config.health.token,
    }),
  );
  let assets: ReadonlyMap<string, ConsoleAsset> | undefined;
  const guard = (
    handler: (req: Request, res: Response, sub: string) => void | Promise<void>,
  ): OwnRouteHandler => {
    return async (req, res) => {
      secure(res);
      if (!(await mayShowDetails(req, obs.config.health))) {
        res
          .status(401)
          .setHeader('WWW-Authenticate', 'Bearer')
          .setHeader('Cache-Control', 'no-store')
          .json({ error: 'unauthorized' });
        return;
      }
      await handler(req, res, req.path.slice(base.length + 1));
    };
  };

  routes.set(
    base,
    guard((_req, res) => {
      // Relative, so it holds when the app is mounted under a path of its own.
      res.redirect(301, `${base.slice(base.lastIndexOf('/') + 1)}/`);
    }),
  );
  const serve = guard(async (req, res, sub) => {
    if (sub.startsWith('api/')) {
      res.setHeader('Cache-Control', 'no-store');
      await api(sub.slice(4), req, res);
      return;
    }
    const name = sub === '' ? 'index.html' : ASSET.exec(sub)?.[1];
    assets ??= loadConsoleAssets();
    const asset = name === undefined || (sub !== '' && name === 'index.html') ? undefined : assets.get(name);
    if (!asset) {
      res.status(404).setHeader('Cache-Control', 'no-store').json({ error: 'not found' });
      return;
    }
    sendAsset(req, res, asset);
  });
  // The page itself, and (a `/*` key: every path under it) its assets and JSON.
  routes.set(`${base}/`, serve);
  routes.set(`${base}/*`, serve);
  return routes;
}

function secure(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendAsset(req: Request, res: Response, asset: ConsoleAsset): void {
  res.setHeader('Content-Type', asset.type);
  res.setHeader('ETag', asset.etag);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === asset.etag) {
    res.status(304).end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  const body = gzip ? asset.gzip : asset.body;
  res.setHeader('Content-Length', body.length);
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}
