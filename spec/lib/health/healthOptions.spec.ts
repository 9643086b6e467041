import { ObservabilityConfigError } from '../../../lib/configError';
import { resolveHealthOptions, type HealthOptions } from '../../../lib/health/healthOptions';
import { createObservability } from '../../../middleware/createObservability';

function resolve(health: unknown, env: NodeJS.ProcessEnv = {}, production = false) {
  return resolveHealthOptions(health as HealthOptions, env, production);
}

function errorOf(fn: () => unknown): ObservabilityConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ObservabilityConfigError) return e;
    throw e;
  }
  throw new Error('expected an ObservabilityConfigError');
}

describe('health options', () => {
  it('has documented defaults', () => {
    const o = resolve(undefined);
    expect(o).toMatchObject({
      basePath: '/health',
      timeoutMs: 3000,
      cacheMs: 2000,
      probeDeadlineMs: 800,
      showDetails: 'always',
      token: undefined,
      detailedStatusCodes: { healthy: 200, degraded: 503, unhealthy: 503 },
      startup: 'auto',
      maxEventLoopDelayMs: 5000,
    });
    expect(resolve({}, { HEALTH_DETAILS_TOKEN: 's3cret' }, true)).toMatchObject({
      showDetails: 'authorized',
      token: 's3cret',
    });
  });

  it('gives checks the defaults and their own overrides', () => {
    const check = async () => undefined;
    const o = resolve({
      timeoutMs: 900,
      cacheMs: 100,
      checks: { a: check, b: { check, critical: false, timeoutMs: 50, cacheMs: 0, startup: true } },
    });
    expect(o.checks).toEqual([
      { name: 'a', check, critical: true, timeoutMs: 900, cacheMs: 100, startup: false },
      { name: 'b', check, critical: false, timeoutMs: 50, cacheMs: 0, startup: true },
    ]);
  });

  const check = async () => undefined;
  it.each<[string, unknown, RegExp]>([
    ['health', 'yes', /"health" is "yes"; expected an options object/],
    [
      'health.timeout',
      { timeout: 100 },
      /"health.timeout" is 100; expected no such option; known: basePath, checks, timeoutMs/,
    ],
    [
      'health.timeoutMs',
      { timeoutMs: 0 },
      /"health.timeoutMs" is 0; expected a finite number greater than 0/,
    ],
    ['health.timeoutMs', { timeoutMs: '3s' }, /"health.timeoutMs" is "3s"/],
    ['health.cacheMs', { cacheMs: -1 }, /"health.cacheMs" is -1; expected a finite number of 0 or more/],
    ['health.probeDeadlineMs', { probeDeadlineMs: NaN }, /"health.probeDeadlineMs" is NaN/],
    [
      'health.basePath',
      { basePath: 'health' },
      /"health.basePath" is "health"; expected a path starting with "\/"/,
    ],
    ['health.showDetails', { showDetails: 'sometimes' }, /expected one of "always", "authorized", "never"/],
    ['health.token', { token: '' }, /"health.token" is ""; expected a non-empty string/],
    ['health.authorize', { authorize: 'admin' }, /"health.authorize" is "admin"; expected a function/],
    [
      'health.detailedStatusCodes',
      { detailedStatusCodes: 503 },
      /"health.detailedStatusCodes" is 503; expected an options object/,
    ],
    ['health.detailedStatusCodes.degraded', { detailedStatusCodes: { degraded: 2000 } }, /from 100 to 599/],
    [
      'health.detailedStatusCodes.ok',
      { detailedStatusCodes: { ok: 200 } },
      /known: healthy, degraded, unhealthy/,
    ],
    ['health.startup', { startup: 'later' }, /expected one of "auto", "manual"/],
    ['health.maxEventLoopDelayMs', { maxEventLoopDelayMs: -5 }, /greater than 0/],
    ['health.checks', { checks: [check] }, /"health.checks" is an array/],
    ['health.checks["bad name"]', { checks: { 'bad name': check } }, /a name of 1-64 letters/],
    ['health.checks.db', { checks: { db: 'SELECT 1' } }, /an async function, or \{ check: async function/],
    ['health.checks.db.critical', { checks: { db: { check, critical: 'yes' } } }, /expected true or false/],
    ['health.checks.db.timeoutMs', { checks: { db: { check, timeoutMs: -1 } } }, /greater than 0/],
    ['health.checks.db.cacheMs', { checks: { db: { check, cacheMs: 'x' } } }, /0 or more/],
    ['health.checks.db.startup', { checks: { db: { check, startup: 1 } } }, /expected true or false/],
    [
      'health.checks.db.timeout',
      { checks: { db: { check, timeout: 5 } } },
      /no such option; known: check, critical/,
    ],
  ])('%s: a bad value throws naming the option', (option, health, message) => {
    const e = errorOf(() => resolve(health));
    expect(e.option).toBe(option);
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`option "${option}"`);
  });

  it('createObservability throws the same error at construction', () => {
    expect(() => createObservability({ global: false, health: { timeoutMs: -1 } })).toThrow(
      ObservabilityConfigError,
    );
    expect(() => createObservability({ global: false, health: { timeoutMs: -1 } })).toThrow(
      /health\.timeoutMs/,
    );
  });
});
