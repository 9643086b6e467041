import { dirname } from 'node:path';

/** A dependency as installed here: its name and the version the tests ran against. */
export interface Installed {
  readonly name: string;
  readonly version: string;
}

/**
 * The installed version of `name`, resolved the way `from` (a package that depends on it)
 * resolves it, so a transitive dependency is named at the version our code really meets.
 */
export function installed(name: string, from?: string): Installed {
  const paths = from === undefined ? undefined : [dirname(require.resolve(`${from}/package.json`))];
  const manifest = require.resolve(`${name}/package.json`, paths === undefined ? undefined : { paths });
  return { name, version: (require(manifest) as { version: string }).version };
}

/** Loads `name` as `from` (a package that depends on it) loads it. */
export function loadAs<T>(name: string, from: string): T {
  return require(require.resolve(name, { paths: [dirname(require.resolve(`${from}/package.json`))] })) as T;
}

/**
 * Runs `check` against the real installed dependency and, when it fails, rethrows with a
 * message a maintainer can act on without reading the test: which dependency, at which
 * version, which internal changed, and which file of ours relies on it.
 */
export async function contract(
  dependency: Installed,
  internal: string,
  usedBy: string,
  check: () => void | Promise<void>,
): Promise<void> {
  try {
    await check();
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new Error(
      `Contract broken: ${dependency.name}@${dependency.version} (installed) changed ${internal}, ` +
        `which ${usedBy} relies on. Adapt ${usedBy} to the new version, or keep the dependency range ` +
        `in package.json below it.\n\n${detail}`,
    );
  }
}
