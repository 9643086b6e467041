import { ObservabilityConfigError } from '../../../../lib/configError';
import { checks } from '../../../../lib/health/checks';

const pool = { query: async () => undefined };
const client = { ping: async () => 'PONG' };

describe('built-in checks validate their options at construction', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['checks.http(url)', () => checks.http('not a url'), /expected an absolute http:\/\/ or https:\/\/ URL/],
    ['checks.http(url)', () => checks.http('ftp://127.0.0.1/x'), /"ftp:\/\/127.0.0.1\/x"/],
    [
      'checks.http.expectStatus',
      () => checks.http('http://127.0.0.1/', { expectStatus: 999 }),
      /an HTTP status code/,
    ],
    [
      'checks.http.expectStatus',
      () => checks.http('http://127.0.0.1/', { expectStatus: [] }),
      /non-empty array/,
    ],
    [
      'checks.http.headers',
      () => checks.http('http://127.0.0.1/', { headers: { a: 1 as any } }),
      /string values/,
    ],
    [
      'checks.http.method',
      () => checks.http('http://127.0.0.1/', { method: 'POST' as any }),
      /"GET" or "HEAD"/,
    ],
    [
      'checks.http.timeout',
      () => checks.http('http://127.0.0.1/', { timeout: 5 } as any),
      /no such option; known: expectStatus/,
    ],
    ['checks.http.timeoutMs', () => checks.http('http://127.0.0.1/', { timeoutMs: 0 }), /greater than 0/],
    [
      'checks.http.critical',
      () => checks.http('http://127.0.0.1/', { critical: 'no' as any }),
      /true or false/,
    ],
    ['checks.postgres(poolOrClient)', () => checks.postgres(undefined as any), /a pg Pool or Client/],
    ['checks.postgres.query', () => checks.postgres(pool, { query: ' ' }), /non-empty SQL string/],
    ['checks.redis(client)', () => checks.redis({} as any), /a node-redis or ioredis client/],
    ['checks.redis.cacheMs', () => checks.redis(client, { cacheMs: -1 }), /0 or more/],
    [
      'checks.memory.maxHeapUsedRatio',
      () => checks.memory({ maxHeapUsedRatio: 1.5 }),
      /a number from 0 to 1/,
    ],
    ['checks.memory.maxRssBytes', () => checks.memory({ maxRssBytes: -1 }), /greater than 0/],
    ['checks.memory', () => checks.memory('big' as any), /an options object/],
    ['checks.disk.path', () => checks.disk({ path: '' }), /non-empty string/],
    ['checks.disk.minFreeBytes', () => checks.disk({ minFreeBytes: -1 }), /0 or more/],
    ['checks.disk.minFreeRatio', () => checks.disk({ minFreeRatio: 2 }), /from 0 to 1/],
    ['checks.cpu.maxCpuPercent', () => checks.cpu({ maxCpuPercent: 150 }), /a percentage from 0 to 100/],
    ['checks.cpu.maxLoadPerCore', () => checks.cpu({ maxLoadPerCore: -1 }), /0 or more/],
    ['checks.eventLoop.maxDelayMs', () => checks.eventLoop({ maxDelayMs: 0 }), /greater than 0/],
    ['checks.eventLoop.startup', () => checks.eventLoop({ startup: 'yes' as any }), /true or false/],
  ])('%s', (option, build, message) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ObservabilityConfigError);
    expect((error as ObservabilityConfigError).option).toBe(option);
    expect((error as Error).message).toMatch(message);
  });

  it('have sensible defaults: dependencies critical, resources not', () => {
    expect(checks.http('http://127.0.0.1:1/').critical).toBe(true);
    expect(checks.postgres(pool).critical).toBe(true);
    expect(checks.redis(client).critical).toBe(true);
    for (const resource of [checks.memory(), checks.disk(), checks.cpu(), checks.eventLoop()]) {
      expect(resource.critical).toBe(false);
    }
    expect(
      checks.http('http://127.0.0.1:1/', { timeoutMs: 500, cacheMs: 0, startup: true, critical: false }),
    ).toMatchObject({
      timeoutMs: 500,
      cacheMs: 0,
      startup: true,
      critical: false,
    });
  });
});
