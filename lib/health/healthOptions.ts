import type { IncomingMessage } from 'node:http';
import { assertOption, ObservabilityConfigError } from '../configError';
import type { HealthCheckDefinition, HealthCheckInput, HealthStatus } from './healthTypes';
import { knownKeys } from './knownKeys';

/** Who may see check details and error messages. */
export type ShowDetails = 'always' | 'authorized' | 'never';

/** Health options. */
export interface HealthOptions {
  /** Mount path of the health routes. Default: `/health`. */
  readonly basePath?: string;
  /** Named checks. Default: none. */
  readonly checks?: Readonly<Record<string, HealthCheckInput>>;
  /** Default per-check timeout in ms. Default: 3000. */
  readonly timeoutMs?: number;
  /** Default per-check cache time in ms (failures are cached too). Default: 2000. */
  readonly cacheMs?: number;
  /**
   * Probe routes answer by then with what is known. Once a check has a result, an
   * expired one is answered at once (marked `stale`, with its `ageMs`) while one
   * refresh runs in the background; before its first result, a check slower than this
   * is reported as timed out and goes on to fill the cache. Default: 800 (below
   * Kubernetes' default probe timeout of 1 s).
   */
  readonly probeDeadlineMs?: number;
  /** Who sees details. Default: `authorized` in production, `always` elsewhere. */
  readonly showDetails?: ShowDetails;
  /** Bearer token that authorizes a caller to see details. Default: `HEALTH_DETAILS_TOKEN` env var. */
  readonly token?: string;
  /**
   * A function of the request that authorizes a caller to see details; only `true`
   * (or a promise of `true`) authorizes, and a throw or rejection counts as no.
   */
  readonly authorize?: (req: IncomingMessage) => boolean | Promise<boolean>;
  /** HTTP status of `/health/detailed` by overall status. Default: 200, 503, 503. */
  readonly detailedStatusCodes?: Partial<Record<HealthStatus, number>>;
  /**
   * `auto`: the app counts as started at construction (startup checks must still pass).
   * `manual`: `/health/startup` and `/health/ready` answer 503 until `obs.markStarted()`.
   * Default: `auto`.
   */
  readonly startup?: 'auto' | 'manual';
  /** `/health/live` fails when event-loop delay (p99 over the last window) exceeds this. Default: 5000 ms. */
  readonly maxEventLoopDelayMs?: number;
}

/** A check with every policy field filled. */
export interface ResolvedHealthCheck {
  readonly name: string;
  readonly check: HealthCheckDefinition['check'];
  readonly critical: boolean;
  readonly timeoutMs: number;
  readonly cacheMs: number;
  readonly startup: boolean;
}

/** Health options after defaults and validation. */
export interface ResolvedHealthOptions {
  readonly basePath: string;
  readonly checks: readonly ResolvedHealthCheck[];
  readonly timeoutMs: number;
  readonly cacheMs: number;
  readonly probeDeadlineMs: number;
  readonly showDetails: ShowDetails;
  readonly token: string | undefined;
  readonly authorize: ((req: IncomingMessage) => boolean | Promise<boolean>) | undefined;
  readonly detailedStatusCodes: Readonly<Record<HealthStatus, number>>;
  readonly startup: 'auto' | 'manual';
  readonly maxEventLoopDelayMs: number;
}

/** Resolves health options; throws {@link ObservabilityConfigError} on a bad value. */
export function resolveHealthOptions(
  input: HealthOptions | undefined,
  env: NodeJS.ProcessEnv,
  production: boolean,
): ResolvedHealthOptions {
  const o = knownKeys('health', input ?? {}, HEALTH_KEYS);
  const timeoutMs =
    o.timeoutMs === undefined ? 3000 : assertOption.positiveNumber('health.timeoutMs', o.timeoutMs);
  const cacheMs =
    o.cacheMs === undefined ? 2000 : assertOption.nonNegativeNumber('health.cacheMs', o.cacheMs);
  const basePath = o.basePath === undefined ? '/health' : path('health.basePath', o.basePath);
  const checks = Object.entries(knownKeys('health.checks', o.checks ?? {})).map(([name, value]) =>
    resolveCheck(name, value, timeoutMs, cacheMs),
  );
  const codes = {
    healthy: 200,
    degraded: 503,
    unhealthy: 503,
    ...knownKeys('health.detailedStatusCodes', o.detailedStatusCodes ?? {}, STATUSES),
  };
  for (const [k, v] of Object.entries(codes)) {
    if (!Number.isInteger(v) || v < 100 || v > 599) {
      throw new ObservabilityConfigError(
        `health.detailedStatusCodes.${k}`,
        v,
        'an HTTP status code from 100 to 599',
      );
    }
  }
  return {
    basePath,
    checks,
    timeoutMs,
    cacheMs,
    probeDeadlineMs:
      o.probeDeadlineMs === undefined
        ? 800
        : assertOption.positiveNumber('health.probeDeadlineMs', o.probeDeadlineMs),
    showDetails:
      o.showDetails === undefined
        ? production
          ? 'authorized'
          : 'always'
        : assertOption.oneOf('health.showDetails', o.showDetails, ['always', 'authorized', 'never'] as const),
    token:
      o.token === undefined
        ? env.HEALTH_DETAILS_TOKEN || undefined
        : assertOption.nonEmptyString('health.token', o.token),
    authorize:
      o.authorize === undefined
        ? undefined
        : (assertOption.func('health.authorize', o.authorize) as ResolvedHealthOptions['authorize']),
    detailedStatusCodes: codes,
    startup:
      o.startup === undefined
        ? 'auto'
        : assertOption.oneOf('health.startup', o.startup, ['auto', 'manual'] as const),
    maxEventLoopDelayMs:
      o.maxEventLoopDelayMs === undefined
        ? 5000
        : assertOption.positiveNumber('health.maxEventLoopDelayMs', o.maxEventLoopDelayMs),
  };
}

function resolveCheck(
  name: string,
  value: HealthCheckInput,
  timeoutMs: number,
  cacheMs: number,
): ResolvedHealthCheck {
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(name)) {
    throw new ObservabilityConfigError(
      `health.checks["${name}"]`,
      name,
      'a name of 1-64 letters, digits, "_", ".", ":" or "-"',
    );
  }
  if (typeof value === 'function') {
    return { name, check: value, critical: true, timeoutMs, cacheMs, startup: false };
  }
  if (!value || typeof value !== 'object' || typeof value.check !== 'function') {
    throw new ObservabilityConfigError(
      `health.checks.${name}`,
      value,
      'an async function, or { check: async function, critical?, timeoutMs?, cacheMs?, startup? }',
    );
  }
  const opt = `health.checks.${name}`;
  knownKeys(opt, value, CHECK_KEYS);
  return {
    name,
    check: value.check,
    critical: value.critical === undefined ? true : assertOption.boolean(`${opt}.critical`, value.critical),
    timeoutMs:
      value.timeoutMs === undefined
        ? timeoutMs
        : assertOption.positiveNumber(`${opt}.timeoutMs`, value.timeoutMs),
    cacheMs:
      value.cacheMs === undefined ? cacheMs : assertOption.nonNegativeNumber(`${opt}.cacheMs`, value.cacheMs),
    startup: value.startup === undefined ? false : assertOption.boolean(`${opt}.startup`, value.startup),
  };
}

const HEALTH_KEYS = [
  'basePath',
  'checks',
  'timeoutMs',
  'cacheMs',
  'probeDeadlineMs',
  'showDetails',
  'token',
  'authorize',
  'detailedStatusCodes',
  'startup',
  'maxEventLoopDelayMs',
] as const;
const CHECK_KEYS = ['check', 'critical', 'timeoutMs', 'cacheMs', 'startup'] as const;
const STATUSES = ['healthy', 'degraded', 'unhealthy'] as const;

function path(option: string, value: unknown): string {
  if (typeof value !== 'string' || !/^\/[A-Za-z0-9/_.-]*$/.test(value)) {
    throw new ObservabilityConfigError(option, value, 'a path starting with "/", for example "/health"');
  }
  return value.length > 1 ? value.replace(/\/+$/, '') : value;
}
