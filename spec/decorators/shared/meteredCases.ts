import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fixtures } from './fixtureTypes';
import { createHarness, flush, sample, type Harness } from './harness';

/** What @Metered records. */
export function meteredCases(f: Fixtures, h: () => Harness): void {
  describe(`@Metered (${f.standard})`, () => {
    it('counts calls and observes durations by class, method and outcome', async () => {
      const calc = new f.Calc(0);
      calc.add(1, 1);
      calc.add(2, 2);
      await calc.addLater(1, 1);
      const scrape = await h().scrape();
      const ok = { class: 'Calc', method: 'add', outcome: 'success' };
      expect(sample(scrape, 'method_calls_total', ok)).toBe(3);
      expect(sample(scrape, 'method_duration_seconds_count', ok)).toBe(3);
      expect(sample(scrape, 'method_duration_seconds_bucket', { ...ok, le: '+Inf' })).toBe(3);
      expect(sample(scrape, 'method_calls_total', { class: 'Calc', method: 'addLater', outcome: 'success' })).toBe(1);
      expect(sample(scrape, 'method_duration_seconds_sum', { class: 'Calc', method: 'addLater' })).toBeGreaterThan(0);
    });

    it('labels errors with their type, bounded, sync and async', async () => {
      const calc = new f.Calc(0);
      expect(() => calc.fail(new RangeError('x'))).toThrow(RangeError);
      expect(() => calc.fail(new RangeError('y'))).toThrow(RangeError);
      await expect(calc.failLater('text')).rejects.toBe('text');
      class CustomError extends Error {}
      for (let i = 0; i < 25; i++) {
        const Unique = { [`Error${i}`]: class extends CustomError {} }[`Error${i}`]!;
        expect(() => calc.fail(new Unique())).toThrow();
      }
      const scrape = await h().scrape();
      expect(sample(scrape, 'method_calls_total', { method: 'fail', outcome: 'error', error_type: 'RangeError' })).toBe(2);
      expect(sample(scrape, 'method_calls_total', { method: 'failLater', outcome: 'error', error_type: 'string' })).toBe(1);
      const types = new Set(scrape.split('\n').filter((l) => l.startsWith('method_calls_total{') && l.includes('method="fail"')).map((l) => /error_type="([^"]*)"/.exec(l)![1]));
      expect(types.size).toBe(21);
      expect(sample(scrape, 'method_calls_total', { method: 'fail', error_type: '_OTHER' })).toBe(6);
    });

    it('uses the given metric names and buckets and keeps an in-flight gauge', async () => {
      new f.Options().find('1', { name: 'n', password: 'p' });
      const scrape = await h().scrape();
      expect(sample(scrape, 'orders_calls_total', { class: 'Options', method: 'find', outcome: 'success' })).toBe(1);
      expect(sample(scrape, 'orders_duration_seconds_bucket', { method: 'find', le: '0.1' })).toBe(1);
      expect(sample(scrape, 'orders_in_flight', { class: 'Options', method: 'find' })).toBe(0);
    });

    it('records a promise call only once it settles', async () => {
      let resolve!: () => void;
      const pending = new f.Calc(0).returnPromise(new Promise<void>((r) => (resolve = r)));
      expect(sample(await h().scrape(), 'method_calls_total', { method: 'returnPromise' })).toBeUndefined();
      resolve();
      await pending;
      await flush();
      expect(sample(await h().scrape(), 'method_calls_total', { method: 'returnPromise' })).toBe(1);
    });

    it('writes an exposition promtool accepts', async () => {
      const calc = new f.Calc(0);
      calc.add(1, 1);
      expect(() => calc.fail(new Error('x'))).toThrow();
      new f.Options().find('1', { name: 'n', password: 'p' });
      const dir = mkdtempSync(join(tmpdir(), 'metered-'));
      try {
        const file = join(dir, 'metrics.txt');
        writeFileSync(file, await h().scrape());
        expect(execFileSync('sh', ['-c', `promtool check metrics < ${file} 2>&1; echo "exit $?"`]).toString()).toMatch(/exit 0/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('lets the method run untouched when the instance has metrics turned off', async () => {
      const off = createHarness({ metrics: false }, false);
      try {
        const Explicit = f.explicit(off.obs);
        expect(new Explicit().run()).toBe('ran');
        expect(off.spans()).toHaveLength(1);
        expect(off.reported).toEqual([]);
      } finally {
        await off.close();
      }
    });
  });
}
