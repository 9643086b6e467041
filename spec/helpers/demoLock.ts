import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One running demo per machine across Jest's workers: the demo's four services share the one
 * PostgreSQL database and Redis, and two demos starting at once on two cores can miss their
 * readiness deadline. A spec that starts the demo holds this lock from its `beforeAll` to its
 * `afterAll`; a lock left by a process that has died is taken over.
 */
const LOCK = join(tmpdir(), 'express-observability-demo.lock');

/** How long a spec waits for the demo another spec is running; give the hook at least this. */
export const DEMO_LOCK_WAIT_MS = 6 * 60_000;

export async function holdDemoLock(): Promise<() => void> {
  const end = Date.now() + DEMO_LOCK_WAIT_MS;
  for (;;) {
    // Written aside and linked into place: the lock appears with its holder's pid in it.
    const mine = `${LOCK}.${process.pid}`;
    writeFileSync(mine, String(process.pid));
    try {
      linkSync(mine, LOCK);
      unlinkSync(mine);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(LOCK);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (e) {
      unlinkSync(mine);
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (!holderAlive()) {
      try {
        unlinkSync(LOCK);
      } catch {
        // Another waiter took it over first.
      }
      continue;
    }
    if (Date.now() > end)
      throw new Error(`the demo lock ${LOCK} was held for more than ${DEMO_LOCK_WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function holderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(LOCK, 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
