import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/**
 * Where the bench servers are compiled to. Inside node_modules so packages resolve from
 * there as they do from the project; the tree below mirrors the project's.
 */
export const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'express-observability-bench');

let built: string | undefined;

/**
 * Compiles `bench/server.ts` and everything it imports to plain JavaScript, once per run.
 * The servers must not run under ts-node: it loads node's `repl`, which loads `domain`,
 * which replaces `EventEmitter.prototype.emit` for the whole process and would add the
 * same cost to every variant, flattering the ratios.
 */
export function buildServer(): string {
  if (built) return built;
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc');
  // --noCheck: type errors are the lint's business; the bench needs the emitted code now.
  execFileSync(
    process.execPath,
    [
      tsc,
      join(ROOT, 'bench', 'server.ts'),
      ...['--outDir', BUILD_DIR, '--rootDir', ROOT, '--noCheck', '--skipLibCheck', '--module', 'commonjs', '--target', 'es2022'],
      ...['--esModuleInterop', '--resolveJsonModule', '--experimentalDecorators', '--emitDecoratorMetadata', '--declaration', 'false'],
    ],
    { stdio: 'inherit' },
  );
  built = join(BUILD_DIR, 'bench', 'server.js');
  return built;
}
