import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One static file of the console page, read once and kept with its gzip form. */
export interface ConsoleAsset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly etag: string;
}

// The page's own files ship next to this module (copied into dist/ by the build); the chart
// library is the installed `uplot` package. Nothing is fetched from anywhere else.
const FILES: Readonly<Record<string, { readonly path: () => string; readonly type: string }>> = {
  'index.html': { path: () => join(__dirname, 'assets', 'index.html'), type: 'text/html; charset=utf-8' },
  'console.js': {
    path: () => join(__dirname, 'assets', 'console.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'console.css': { path: () => join(__dirname, 'assets', 'console.css'), type: 'text/css; charset=utf-8' },
  'favicon.svg': { path: () => join(__dirname, 'assets', 'favicon.svg'), type: 'image/svg+xml' },
  'uPlot.js': {
    path: () => require.resolve('uplot/dist/uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'uPlot.css': { path: () => require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

/** Names of the files under `assets/` (and `index.html`, the page itself). */
export const CONSOLE_ASSET_NAMES: readonly string[] = Object.keys(FILES);

/** Reads the console's files once; a missing file throws here, naming it. */
export function loadConsoleAssets(): ReadonlyMap<string, ConsoleAsset> {
  const out = new Map<string, ConsoleAsset>();
  for (const [name, f] of Object.entries(FILES)) {
    const body = readFileSync(f.path());
    out.set(name, {
      type: f.type,
      body,
      gzip: gzipSync(body, { level: 9 }),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    });
  }
  return out;
}
