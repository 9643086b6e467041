// The package as users get it: built, packed with `npm pack`, and installed into fresh
// projects with `npm install <tarball> express` and nothing else named, so every package
// dist/ loads must come from the package's own dependencies and peers. Only the npm
// registry the machine already uses is reached; every server listens on 127.0.0.1.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { decoratedSource, quickStartCjs, quickStartEsm } from '../fixtures/packedConsumer';

jest.setTimeout(240_000);
const run = promisify(execFile);
const repo = path.resolve(__dirname, '../..');
const root = mkdtempSync(path.join(tmpdir(), 'eo-packed-'));
// npm's own variables from the `npm test` that runs this would point the installs at the repo.
// JSON lines, as a deployed service writes them (development's default is pretty).
const env = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^npm_/i.test(k) && k !== 'NODE_ENV' && k !== 'NODE_OPTIONS',
    ),
  ),
  LOG_FORMAT: 'json',
};
let tarball = '';

async function npm(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run(
    'npm',
    [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    {
      cwd,
      env,
      maxBuffer: 32 * 1024 * 1024,
    },
  );
  return stdout;
}

/** A fresh project with `npm install <tarball> <express>` done in it. */
async function project(name: string, express: string): Promise<string> {
  const dir = path.join(root, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }));
  await npm(dir, ['install', tarball, express]);
  return dir;
}

interface Started {
  readonly child: ChildProcess;
  readonly base: string;
  readonly stdout: () => string;
}

function start(cwd: string, args: string[]): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port from ${args.join(' ')}: ${err}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /PORT (\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${m[1]}`, stdout: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}: ${err}`));
    });
  });
}

function stop(s: Started): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });
}

/** What every quick start variant must show: probes, a counted request, its span, its access line. */
async function expectQuickStartWorks(cwd: string, args: string[], clientSpans = false): Promise<void> {
  const s = await start(cwd, args);
  try {
    expect((await fetch(`${s.base}/health/ready`)).status).toBe(200);
    const order = await fetch(`${s.base}/orders/42`);
    expect(await order.json()).toEqual({ id: '42' });
    if (clientSpans) expect(await (await fetch(`${s.base}/outbound`)).json()).toEqual({ status: 200 });
    const metrics = await (await fetch(`${s.base}/metrics`)).text();
    expect(metrics).toMatch(
      /http_requests_total\{[^}]*route="\/orders\/:id"[^}]*status_code="200"[^}]*\} [1-9]/,
    );
    const spans = (await (await fetch(`${s.base}/debug/spans`)).json()) as Array<{
      name: string;
      kind: string;
      attributes: Record<string, unknown>;
    }>;
    expect(spans.map((x) => x.name)).toContain('GET /orders/:id');
    if (clientSpans) expect(spans.filter((x) => x.kind === 'CLIENT').length).toBeGreaterThan(0);
    const detailed = (await (await fetch(`${s.base}/health/detailed`)).json()) as {
      checks: Record<string, unknown>;
    };
    expect(Object.keys(detailed.checks)).toEqual(expect.arrayContaining(['db', 'cache', 'disk']));
    // The console's page and every asset it names come from the installed package (uPlot from its dependency).
    const page = await fetch(`${s.base}/observability/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(
      expect.arrayContaining([
        'assets/console.js',
        'assets/console.css',
        'assets/uPlot.js',
        'assets/uPlot.css',
      ]),
    );
    for (const asset of assets) {
      const res = await fetch(`${s.base}/observability/${asset}`);
      expect([asset, res.status, res.headers.get('content-security-policy')]).toEqual([
        asset,
        200,
        expect.stringContaining("script-src 'self'"),
      ]);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    const { routes } = (await (await fetch(`${s.base}/observability/api/routes`)).json()) as {
      routes: Array<{ route: string; requests: number }>;
    };
    expect(routes.find((r) => r.route === '/orders/:id')?.requests).toBeGreaterThan(0);
  } finally {
    await stop(s);
  }
  const access = s
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l['http.route'] === '/orders/:id');
  if (!access) throw new Error('no access line in:\n' + s.stdout());
  expect(access).toMatchObject({
    message: 'request completed',
    'url.path': '/orders/42',
    'http.response.status_code': 200,
  });
  expect(access.trace_id).toMatch(/^[0-9a-f]{32}$/);
}

let express5 = '';
let express4 = '';

beforeAll(async () => {
  const packDir = path.join(root, 'pack');
  mkdirSync(packDir);
  // `npm pack` runs `prepack`, which builds dist/ afresh.
  await run('npm', ['pack', '--pack-destination', packDir, '--loglevel=error'], {
    cwd: repo,
    env,
    maxBuffer: 32 * 1024 * 1024,
  });
  tarball = path.join(
    packDir,
    readdirSync(packDir).find((f) => f.endsWith('.tgz'))!,
  );
  [express5, express4] = await Promise.all([
    project('express5', 'express@5'),
    project('express4', 'express@4'),
  ]);
}, 240_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('installed from the packed tarball', () => {
  it('CommonJS: the quick start serves probes, metrics, spans and access lines on Express 5', async () => {
    writeFileSync(path.join(express5, 'app.cjs'), quickStartCjs);
    await expectQuickStartWorks(express5, ['app.cjs']);
  });

  it('CommonJS: the quick start works on Express 4', async () => {
    writeFileSync(path.join(express4, 'app.cjs'), quickStartCjs);
    await expectQuickStartWorks(express4, ['app.cjs']);
  });

  it('ESM: named imports load from an .mjs file, with the preload entry through --import', async () => {
    writeFileSync(path.join(express5, 'app.mjs'), quickStartEsm);
    await expectQuickStartWorks(express5, ['--import', 'express-observability/register', 'app.mjs'], true);
  });

  it('ESM: named imports load in a "type": "module" project', async () => {
    const dir = path.join(express5, 'esm-project');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'esm-project', type: 'module', private: true }),
    );
    writeFileSync(path.join(dir, 'app.js'), quickStartEsm);
    await expectQuickStartWorks(dir, ['app.js']);
  });

  it('TypeScript: the decorators compile and run under both decorator standards', async () => {
    await npm(express5, [
      'install',
      'typescript@5',
      'reflect-metadata',
      '@types/node@20',
      '@types/express@5',
    ]);
    const tsc = path.join(express5, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const legacy of [true, false]) {
      const dir = path.join(express5, legacy ? 'ts-legacy' : 'ts-standard');
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'calc.ts'), decoratedSource(legacy));
      const options = {
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          outDir: 'out',
          types: ['node'],
          experimentalDecorators: legacy,
          emitDecoratorMetadata: legacy,
        },
        files: ['calc.ts'],
      };
      writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(options));
      await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, env }).catch(
        (e: { stdout: string }) => {
          throw new Error(`tsc (${legacy ? 'legacy' : 'standard'}) failed:\n${e.stdout}`);
        },
      );
      const { stdout } = await run(process.execPath, ['out/calc.js'], { cwd: dir, env });
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const result = JSON.parse(line!.slice('RESULT '.length)) as Record<string, unknown>;
      expect(result).toMatchObject({
        sync: 13,
        syncIsPromise: false,
        later: 15,
        thrown: 'RangeError:bad sync',
        rejected: 'TypeError:bad async',
        spans: ['Calc.add', 'Calc.add', 'Calc.addLater', 'Calc.fail', 'Calc.failLater'],
        designTypes: legacy ? ['Number', 'Number'] : null,
      });
      expect((result.calls as string[]).join('\n')).toMatch(/method="add",outcome="success"[^}]*\} 2/);
      expect((result.calls as string[]).join('\n')).toMatch(
        /method="fail",outcome="error",error_type="RangeError"[^}]*\} 1/,
      );
      // The success line of @Logged, written as JSON to stdout.
      expect(stdout).toMatch(/"Calc\.add/);
    }
  });

  it('@arethetypeswrong/cli and publint find no problem in the tarball', async () => {
    const attw = await run(path.join(repo, 'node_modules/.bin/attw'), [tarball, '--format', 'json'], {
      cwd: root,
      env,
      maxBuffer: 32 * 1024 * 1024,
    }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    const report = JSON.parse(attw.stdout) as { analysis: { problems: unknown[] } };
    expect(report.analysis.problems).toEqual([]);
    const publint = await run(path.join(repo, 'node_modules/.bin/publint'), [tarball, '--strict'], {
      cwd: root,
      env,
    }).catch((e: { stdout: string; stderr: string }) => ({ stdout: `${e.stdout}${e.stderr}`, stderr: '' }));
    expect(publint.stdout).not.toMatch(/Errors:|Warnings:/);
  });
});
