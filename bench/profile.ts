import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { BUILD_DIR } from './buildServer';
import { load, warmUp, type LoadPlan } from './requestOverhead';
import { ServerProcess } from './serverProcess';
import type { Variant } from './variants';

/** One row of the profile breakdown: CPU time per request and share of busy time. */
export interface ProfileRow {
  readonly name: string;
  readonly microsPerRequest: number;
  readonly percent: number;
}

/** Where a variant's CPU time goes under load. */
export interface ProfileResult {
  readonly variant: Variant;
  readonly requests: number;
  /** Busy (non-idle) profile time per request. */
  readonly busyMicrosPerRequest: number;
  /** Self time by package / area (Express, prom-client, winston, OTel, node core, GC, ours by file). */
  readonly byArea: ProfileRow[];
  /** Inclusive time of the library's own functions (a function's callees count toward it). */
  readonly ours: ProfileRow[];
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** Profiles `variant` in its own process with V8's sampling profiler during one load window. */
export async function runProfile(variant: Variant, plan: LoadPlan): Promise<ProfileResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const server = await ServerProcess.start(variant);
  try {
    await warmUp(server.url, plan);
    const before = await server.sample();
    await server.startProfile();
    await load(server.url, plan);
    const file = join(dir, `${variant}.cpuprofile`);
    await server.stopProfile(file);
    const after = await server.sample();
    return analyze(variant, JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, after.served - before.served);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Self time by area, and the cost of each of our functions: its own time plus what it
 * calls, except the work it only passes through (Express's `next()` into the app, the
 * original `res.end`/`res.write`/`req.push` our counting wrappers call).
 */
export function analyze(variant: Variant, profile: CpuProfile, requests: number): ProfileResult {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const ours = new Map<string, number>();
  const stackKeys = new Map<number, string[]>();
  let busy = 0;
  let library = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const micros = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i])!;
    const area = areaOf(node.callFrame);
    if (area === '(idle)') continue;
    busy += micros;
    self.set(area, (self.get(area) ?? 0) + micros);
    const keys = oursOnStack(node.id, byId, parent, stackKeys);
    if (keys.length > 0) library += micros;
    for (const key of keys) ours.set(key, (ours.get(key) ?? 0) + micros);
  }
  const rows = (m: Map<string, number>, min: number): ProfileRow[] =>
    [...m]
      .map(([name, micros]) => ({ name, microsPerRequest: micros / requests, percent: (100 * micros) / busy }))
      .filter((r) => r.percent >= min)
      .sort((a, b) => b.percent - a.percent);
  ours.set('all of the above (synchronous library work)', library);
  return { variant, requests, busyMicrosPerRequest: busy / requests, byArea: rows(self, 0.5), ours: rows(ours, 0.2) };
}

/** Our functions on the stack of `id` below the deepest pass-through frame, memoized per node. */
function oursOnStack(
  id: number,
  byId: Map<number, CpuProfile['nodes'][number]>,
  parent: Map<number, number>,
  memo: Map<number, string[]>,
): string[] {
  const cached = memo.get(id);
  if (cached) return cached;
  const up = parent.get(id);
  const frame = byId.get(id)!.callFrame;
  let keys: string[];
  if (isPassThrough(frame)) {
    keys = [];
  } else {
    keys = up === undefined ? [] : oursOnStack(up, byId, parent, memo);
    const file = ourFile(frame.url);
    if (file) {
      const key = `${frame.functionName || '(anonymous)'} (${file}:${frame.lineNumber + 1})`;
      if (!keys.includes(key)) keys = [...keys, key];
    }
  }
  memo.set(id, keys);
  return keys;
}

/** Frames where our code hands over to work that is not ours: the app's chain, the real write. */
function isPassThrough(frame: CpuProfile['nodes'][number]['callFrame']): boolean {
  const { functionName: fn, url } = frame;
  if (fn === 'next' && /node_modules\/(express|router)\//.test(url)) return true;
  if ((fn === 'end' || fn === 'write') && url === 'node:_http_outgoing') return true;
  return fn === 'push' && url === 'node:internal/streams/readable';
}

function ourFile(url: string): string | undefined {
  if (!url || url.startsWith('node:')) return undefined;
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const rel = relative(BUILD_DIR, path);
  if (rel.startsWith('..') || rel.includes('node_modules') || rel.startsWith('bench' + sep)) return undefined;
  return rel.replace(/\.js$/, '.ts');
}

function areaOf(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const { functionName, url } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  if (url.startsWith('node:')) return 'node core';
  const file = ourFile(url);
  if (file) return `ours: ${file}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return relative(BUILD_DIR, url.startsWith('file://') ? new URL(url).pathname : url);
}
