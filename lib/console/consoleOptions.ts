import { assertOption, ObservabilityConfigError } from '../configError';
import { knownKeys } from '../health/knownKeys';

/** Options of the observability console (`console` in the instance options). */
export interface ConsoleOptions {
  /**
   * Serve the console and record its data. Default: true outside production, false in
   * production (where, once enabled, only callers authorized like the health details see it).
   */
  readonly enabled?: boolean;
  /** Mount path of the page and its JSON routes. Default: `/observability`. */
  readonly path?: string;
  /**
   * Base URLs of other services' consoles (`http://orders:3003/observability`): the console
   * asks them, server-side, for the spans and log lines of a trace and merges them. Only these
   * URLs are ever fetched. Default: none.
   */
  readonly peers?: readonly string[];
  /** How long a peer may take to answer. Default: 2000 ms. */
  readonly peerTimeoutMs?: number;
  /** Log records kept for the console. Default: 2000. */
  readonly logRecords?: number;
  /** Characters of log lines kept (the oldest records leave first past it). Default: 2 MiB (2097152). */
  readonly logBytes?: number;
  /** Failed requests and method errors kept. Default: 100. */
  readonly errorRecords?: number;
  /** Routes (method and route template) with a time series of their own; later ones share `_OTHER`. Default: 100. */
  readonly maxRoutes?: number;
}

/** Console options after defaults and validation. */
export interface ResolvedConsoleOptions {
  readonly enabled: boolean;
  readonly path: string;
  readonly peers: readonly string[];
  readonly peerTimeoutMs: number;
  readonly logRecords: number;
  readonly logBytes: number;
  readonly errorRecords: number;
  readonly maxRoutes: number;
}

const KEYS = [
  'enabled',
  'path',
  'peers',
  'peerTimeoutMs',
  'logRecords',
  'logBytes',
  'errorRecords',
  'maxRoutes',
];

/** Resolves the console options; throws {@link ObservabilityConfigError} on a bad value. */
export function resolveConsoleOptions(
  input: ConsoleOptions | false | undefined,
  production: boolean,
): ResolvedConsoleOptions {
  const o: ConsoleOptions = input === false ? { enabled: false } : knownKeys('console', input ?? {}, KEYS);
  const path = o.path === undefined ? '/observability' : assertPath(o.path);
  return {
    enabled: o.enabled === undefined ? !production : assertOption.boolean('console.enabled', o.enabled),
    path,
    peers: (o.peers === undefined ? [] : assertPeers(o.peers)).map((p) => p.replace(/\/+$/, '')),
    peerTimeoutMs:
      o.peerTimeoutMs === undefined
        ? 2000
        : assertOption.positiveNumber('console.peerTimeoutMs', o.peerTimeoutMs),
    logRecords: whole('console.logRecords', o.logRecords, 2000),
    logBytes: whole('console.logBytes', o.logBytes, 2 * 1024 * 1024),
    errorRecords: whole('console.errorRecords', o.errorRecords, 100),
    maxRoutes: whole('console.maxRoutes', o.maxRoutes, 100),
  };
}

function assertPath(value: unknown): string {
  if (typeof value !== 'string' || !/^\/[A-Za-z0-9/_.-]*[A-Za-z0-9_.-]$/.test(value)) {
    throw new ObservabilityConfigError(
      'console.path',
      value,
      'a path starting with "/" and not ending with "/", such as "/observability"',
    );
  }
  return value;
}

function assertPeers(value: unknown): readonly string[] {
  if (!Array.isArray(value)) {
    throw new ObservabilityConfigError(
      'console.peers',
      value,
      'an array of console base URLs such as ["http://127.0.0.1:3001/observability"]',
    );
  }
  for (const [i, peer] of value.entries()) {
    let url: URL | undefined;
    try {
      url = typeof peer === 'string' ? new URL(peer) : undefined;
    } catch {
      url = undefined;
    }
    if (
      !url ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.search !== '' ||
      url.hash !== '' ||
      url.username !== ''
    ) {
      throw new ObservabilityConfigError(
        `console.peers[${i}]`,
        peer,
        'an http(s) URL of another console, without query, fragment or credentials, such as "http://127.0.0.1:3001/observability"',
      );
    }
  }
  return value as string[];
}

function whole(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ObservabilityConfigError(option, value, 'a whole number of 1 or more');
  }
  return value;
}
