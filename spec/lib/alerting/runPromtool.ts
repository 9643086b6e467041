import { execFile } from 'node:child_process';

/** Output of one promtool run. */
export interface PromtoolResult {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs promtool with `args`. A missing promtool is an error, never a skip: the tests
 * assert on the real tool (`npm test` installs the Debian package `prometheus`).
 */
export function runPromtool(args: readonly string[], cwd?: string): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    execFile('promtool', [...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new Error(
            'promtool is not installed: install the Debian package "prometheus" (npm test does it as root)',
          ),
        );
        return;
      }
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}
