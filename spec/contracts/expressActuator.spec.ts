import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contract, installed } from './contract';

/*
 * middleware/createInfoHandler.ts requires two files inside express-actuator that its package
 * does not export (only the info endpoint is wanted: its JSON /metrics would shadow Prometheus's).
 * A release that moves them breaks loading the whole library, not just /info.
 */
const ACTUATOR = installed('express-actuator');
const USED_BY = 'middleware/createInfoHandler.ts';

type InfoEndpoint = new (
  options: { gitMode: 'simple' | 'full'; dateFormat: string | null },
  cache: unknown,
) => { route(req: unknown, res: { status(code: number): { json(body: unknown): void } }): void };

/** Runs the info endpoint in `dir` (it reads ./package.json and ./git.properties from the working directory). */
function infoIn(dir: string): { status?: number; body?: any } {
  const Info = require('express-actuator/lib/endpoints/info') as InfoEndpoint;
  const Cache = require('express-actuator/lib/utils/cache') as new () => unknown;
  const seen: { status?: number; body?: any } = {};
  const cwd = process.cwd();
  // The endpoint is synchronous, so the working directory is back before anything else runs.
  process.chdir(dir);
  try {
    new Info({ gitMode: 'simple', dateFormat: null }, new Cache()).route(
      {},
      {
        status(code) {
          seen.status = code;
          return { json: (body) => void (seen.body = body) };
        },
      },
    );
  } finally {
    process.chdir(cwd);
  }
  return seen;
}

describe(`express-actuator ${ACTUATOR.version} internals used by the info route`, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'actuator-contract-'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'svc', description: 'd', version: '2.0.1', private: true }),
    );
    writeFileSync(
      join(dir, 'git.properties'),
      'git.branch=main\ngit.commit.id.abbrev=0123abc\ngit.commit.time=2026-01-02T03:04:05Z\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lib/endpoints/info and lib/utils/cache load, and answer 200 with build from package.json and git from git.properties', () =>
    contract(
      ACTUATOR,
      'the unexported modules lib/endpoints/info.js (Info(options, cache).route) and lib/utils/cache.js',
      USED_BY,
      () => {
        expect(infoIn(dir)).toEqual({
          status: 200,
          body: {
            build: { name: 'svc', description: 'd', version: '2.0.1' },
            git: { branch: 'main', commit: { id: '0123abc', time: '2026-01-02T03:04:05Z' } },
          },
        });
      },
    ));
});
