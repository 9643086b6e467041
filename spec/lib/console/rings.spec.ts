import { BoundedRing } from '../../../lib/console/BoundedRing';
import { resolveConsoleOptions } from '../../../lib/console/consoleOptions';
import { LATENCY_BOUNDS_MS, quantile, RedSeries, SLOT_MS, SLOTS } from '../../../lib/console/RedSeries';
import { RouteSeriesStore } from '../../../lib/console/RouteSeriesStore';
import { ObservabilityConfigError } from '../../../lib/configError';
import { OVERFLOW_LABEL } from '../../../lib/metrics/LabelGuard';

const T0 = Date.UTC(2026, 11, 3, 8, 0, 0);

describe('RedSeries: an hour at 10 s in fixed arrays', () => {
  it('counts requests and errors per slot and estimates percentiles within the buckets', () => {
    const s = new RedSeries();
    for (let i = 0; i < 90; i++) s.record(T0 + 1000, 4, false);
    for (let i = 0; i < 10; i++) s.record(T0 + 2000, 400, true);
    const [point] = s.points(T0 + 5000, 1);
    expect(point).toMatchObject({ t: T0, requests: 100, errors: 10, rate: 10, errorRatio: 0.1 });
    expect(point!.p50).toBeGreaterThan(3);
    expect(point!.p50).toBeLessThanOrEqual(5);
    expect(point!.p95).toBeGreaterThan(300);
    expect(point!.p95).toBeLessThanOrEqual(500);
    expect(point!.mean).toBeCloseTo(43.6, 5);
  });

  it('gives 360 points for the hour, empty slots with no requests, and forgets what is an hour old', () => {
    const s = new RedSeries();
    s.record(T0, 10, false);
    const points = s.points(T0 + 60_000);
    expect(points).toHaveLength(SLOTS);
    expect(points.at(-7)).toMatchObject({ t: T0, requests: 1 });
    expect(points.at(-1)).toMatchObject({ requests: 0, errorRatio: null, p99: null });
    // One lap later the same ring position holds a new slot: the old counts are gone.
    s.record(T0 + SLOTS * SLOT_MS, 20, true);
    expect(s.summary(T0 + SLOTS * SLOT_MS, 3600)).toMatchObject({ requests: 1, errors: 1 });
  });

  it('summarizes a window and puts latencies past the last bound in the open bucket', () => {
    const s = new RedSeries();
    s.record(T0, 60_000, true);
    expect(s.summary(T0, 300)).toMatchObject({ requests: 1, p99: LATENCY_BOUNDS_MS.at(-1) });
    expect(quantile([0, 0, 4], 4, 0.5)).toBeGreaterThan(1);
    expect(RedSeries.BYTES).toBe(SLOTS * (2 + LATENCY_BOUNDS_MS.length + 1) * 4 + SLOTS * 16);
  });
});

describe('RouteSeriesStore', () => {
  it('keeps a series per method and route up to maxRoutes, then one overflow series', () => {
    const store = new RouteSeriesStore(2);
    store.record(T0, 'GET', '/a', 1, false);
    store.record(T0, 'POST', '/a', 1, false);
    store.record(T0, 'GET', '/b', 1, false);
    store.record(T0, 'GET', '/c', 1, true);
    const rows = store.rows(T0, 60);
    expect(rows.map((r) => `${r.method} ${r.route}`).sort()).toEqual([
      'GET /a',
      `${OVERFLOW_LABEL} ${OVERFLOW_LABEL}`,
      'POST /a',
    ]);
    expect(rows.find((r) => r.route === OVERFLOW_LABEL)).toMatchObject({ requests: 2, errors: 1 });
    expect(store.overall.summary(T0, 60).requests).toBe(4);
    expect(store.bytes).toBe(4 * RedSeries.BYTES);
    expect(store.series('GET', '/a')).toBeDefined();
    expect(store.series('GET', '/zz')).toBeUndefined();
  });
});

describe('BoundedRing', () => {
  it('holds the newest entries within its entry and byte bounds', () => {
    const ring = new BoundedRing<string>(3, 10, (s) => s.length);
    for (const s of ['aaaa', 'bb', 'c', 'dd']) ring.push(s);
    expect(ring.newest(10)).toEqual(['dd', 'c', 'bb']);
    ring.push('eeeeeeee');
    expect(ring.newest(10)).toEqual(['eeeeeeee', 'dd']);
    expect(ring.bytes).toBe(10);
    ring.push('x'.repeat(11));
    expect(ring.length).toBe(2);
    expect(ring.newest(1, (s) => s.startsWith('d'))).toEqual(['dd']);
  });
});

describe('console options', () => {
  it('on outside production, off in production unless enabled; defaults', () => {
    expect(resolveConsoleOptions(undefined, false)).toEqual({
      enabled: true,
      path: '/observability',
      peers: [],
      peerTimeoutMs: 2000,
      logRecords: 2000,
      logBytes: 2 * 1024 * 1024,
      errorRecords: 100,
      maxRoutes: 100,
    });
    expect(resolveConsoleOptions(undefined, true).enabled).toBe(false);
    expect(resolveConsoleOptions({ enabled: true }, true).enabled).toBe(true);
    expect(resolveConsoleOptions(false, false).enabled).toBe(false);
    expect(resolveConsoleOptions({ peers: ['http://127.0.0.1:3001/observability/'] }, false).peers).toEqual([
      'http://127.0.0.1:3001/observability',
    ]);
  });

  it.each([
    [{ path: 'observability' }, /console\.path/],
    [{ path: '/observability/' }, /console\.path/],
    [{ peers: 'http://x' }, /console\.peers.*array/],
    [{ peers: ['ftp://x/observability'] }, /console\.peers\[0\]/],
    [{ peers: ['http://x/observability?token=1'] }, /console\.peers\[0\]/],
    [{ peers: ['not a url'] }, /console\.peers\[0\]/],
    [{ logRecords: 0 }, /console\.logRecords/],
    [{ maxRoutes: 1.5 }, /console\.maxRoutes/],
    [{ peerTimeout: 5 }, /console\.peerTimeout.*known/],
  ])('refuses %j naming the option', (input, message) => {
    expect(() => resolveConsoleOptions(input as never, false)).toThrow(ObservabilityConfigError);
    expect(() => resolveConsoleOptions(input as never, false)).toThrow(message);
  });
});
