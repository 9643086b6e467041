import 'reflect-metadata';
import { resetGlobalObservability } from '../../../lib/globalObservability';
import type { Fixtures } from './fixtureTypes';
import { createHarness, flush, sample, type Harness } from './harness';

/** Behaviour is unchanged by the decorators: values, errors, this, arguments, sync-ness, identity. */
export function behaviourCases(f: Fixtures, h: () => Harness): void {
  describe(`behaviour is unchanged (${f.standard})`, () => {
    it('compiles the fixtures with the expected decorator standard', () => {
      const call = f.probeCalls[0]!;
      if (f.standard === 'tc39') {
        expect(call).toHaveLength(2);
        expect(call[1]).toMatchObject({ kind: 'method', name: 'plain' });
      } else {
        expect(call).toHaveLength(3);
        expect(call[1]).toBe('plain');
        expect(typeof (call[2] as PropertyDescriptor).value).toBe('function');
      }
    });

    it('a sync method stays sync, returns its value and sees the same this and arguments', () => {
      const calc = new f.Calc(10);
      const result = calc.add(1, 2);
      expect(result).toBe(13);
      expect(h().spans().map((s) => s.name)).toEqual(['Calc.add']);
    });

    it('throws the same error object from a sync method', () => {
      const error = new RangeError('bad');
      let thrown: unknown;
      try {
        new f.Calc(0).fail(error);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBe(error);
      const notAnError = { reason: 'plain object' };
      expect(() => new f.Calc(0).fail(notAnError)).toThrow(expect.objectContaining(notAnError));
    });

    it('returns the same promise object and times it until it settles', async () => {
      const calc = new f.Calc(0);
      let resolve!: (v: string) => void;
      const promise = new Promise<string>((r) => (resolve = r));
      const returned = calc.returnPromise(promise);
      expect(returned).toBe(promise);
      await flush();
      expect(h().spans()).toHaveLength(0);
      resolve('done');
      await expect(returned).resolves.toBe('done');
      await flush();
      expect(h().spans().map((s) => s.name)).toEqual(['Calc.returnPromise']);
    });

    it('rejects with the same error object from an async method', async () => {
      const error = new TypeError('async bad');
      await expect(new f.Calc(0).failLater(error)).rejects.toBe(error);
      await expect(new f.Calc(3).addLater(1, 1)).resolves.toBe(5);
    });

    it('calls a foreign thenable once and times it from its first then', async () => {
      let runs = 0;
      // Like a query builder: every `then` runs the work again.
      const lazy = {
        then(onOk: (v: number) => unknown, onError: (e: unknown) => unknown) {
          runs++;
          return Promise.resolve(42).then(onOk, onError);
        },
        extra: () => 'still reachable',
      };
      const returned = new f.Calc(0).returnThenable(lazy as PromiseLike<number>) as unknown as typeof lazy;
      expect(runs).toBe(0);
      expect(returned.extra()).toBe('still reachable');
      expect(await returned).toBe(42);
      expect(runs).toBe(1);
      await flush();
      expect(h().spans().map((s) => s.name)).toEqual(['Calc.returnThenable']);
    });

    it('times an async generator method until it finishes, with its span active inside', async () => {
      const calc = new f.Calc(100);
      const seen: number[] = [];
      for await (const n of calc.count(3)) seen.push(n);
      expect(seen).toEqual([100, 101, 102]);
      const spans = h().spans();
      const count = spans.find((s) => s.name === 'Calc.count')!;
      const adds = spans.filter((s) => s.name === 'Calc.add');
      expect(adds).toHaveLength(3);
      for (const add of adds) expect(add.parentSpanContext?.spanId).toBe(count.spanContext().spanId);
      expect(spans.at(-1)).toBe(count);
    });

    it('records an async generator that throws, and rethrows the same error to the consumer', async () => {
      const error = new Error('generator broke');
      const seen: number[] = [];
      let caught: unknown;
      try {
        for await (const n of new f.Calc(0).countThenFail(2, error)) seen.push(n);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(error);
      expect(seen).toEqual([0, 1]);
      const span = h().spans().find((s) => s.name === 'Calc.countThenFail')!;
      expect(span.status).toEqual({ code: 2, message: 'generator broke' });
      expect(sample(await h().scrape(), 'method_calls_total', { method: 'countThenFail', outcome: 'error', error_type: 'Error' })).toBe(1);
    });

    it('records a foreign thenable that rejects, and passes the rejection on', async () => {
      const error = new Error('thenable rejected');
      const thenable: PromiseLike<never> = { then: (onOk, onError) => Promise.reject(error).then(onOk, onError) };
      await expect(Promise.resolve(new f.Calc(0).returnThenable(thenable))).rejects.toBe(error);
      await flush();
      expect(h().spans().find((s) => s.name === 'Calc.returnThenable')!.status.code).toBe(2);
    });

    it('ends an async generator span when the consumer stops early', async () => {
      for await (const n of new f.Calc(0).count(10)) if (n === 1) break;
      expect(h().spans().filter((s) => s.name === 'Calc.count')).toHaveLength(1);
    });

    it('instruments static methods with the class name', () => {
      const error = new Error('static');
      expect(f.Calc.create(7).offset).toBe(7);
      expect(() => f.Calc.failStatic(error)).toThrow(error);
      expect(h().spans().map((s) => s.name)).toEqual(['Calc.create', 'Calc.failStatic']);
    });

    it('keeps name and length of the method', () => {
      expect(f.Calc.prototype.add.name).toBe('add');
      expect(f.Calc.prototype.add.length).toBe(2);
      expect(f.Calc.create.name).toBe('create');
      expect(f.Calc.create.length).toBe(1);
      expect(f.Calc.prototype.count.length).toBe(1);
      expect(new f.Whole().b.length).toBe(1);
    });

    it('names spans after the declaring class when a subclass calls an inherited method', () => {
      expect(new f.SubCalc(1).add(1, 1)).toBe(3);
      expect(h().spans().map((s) => s.name)).toEqual(['Calc.add']);
    });

    it('on a class instruments own methods only: not the constructor, getters or setters, and not twice', async () => {
      const whole = new f.Whole();
      expect(whole.a()).toBe('a');
      await expect(whole.b(2)).resolves.toBe(4);
      whole.s = 5;
      expect(whole.g).toBe(5);
      expect(whole.tracedTwice()).toBe('twice');
      expect(h().spans().map((s) => s.name)).toEqual(['Whole.a', 'Whole.b', 'Whole.tracedTwice']);
      const scrape = await h().scrape();
      expect(sample(scrape, 'method_calls_total', { class: 'Whole', method: 'tracedTwice' })).toBe(1);
      expect(sample(scrape, 'method_calls_total', { class: 'Whole', method: 'constructor' })).toBeUndefined();
    });

    it('keeps reflect-metadata of stacked NestJS-style decorators, applied before and after ours', () => {
      const proto = f.WithMetadata.prototype;
      expect(Reflect.getMetadata('roles', proto.handle)).toEqual(['admin']);
      expect(Reflect.getMetadata('tag', proto.handle)).toBe('inner');
      expect(Reflect.getMetadata('roles', proto.outer)).toEqual(['outer']);
      if (f.designMetadata) {
        expect(Reflect.getMetadata('design:paramtypes', proto, 'handle')).toEqual([String, Number]);
        expect(Reflect.getMetadata('design:returntype', proto, 'handle')).toBe(String);
      }
      expect(new f.WithMetadata().handle('a', 1)).toBe('a:1');
      expect(h().spans().map((s) => s.name)).toEqual(['WithMetadata.handle']);
    });

    it('runs the method untouched when there is no instance, and picks one up later', async () => {
      resetGlobalObservability();
      expect(new f.Calc(1).add(1, 1)).toBe(3);
      await expect(new f.Calc(1).addLater(1, 1)).resolves.toBe(3);
      expect(h().spans()).toHaveLength(0);
      expect(h().logs.entries).toHaveLength(0);
      expect(sample(await h().scrape(), 'method_calls_total')).toBeUndefined();
    });

    it('uses an explicit instance from the options instead of the global one', async () => {
      const other = createHarness({}, false);
      try {
        const Explicit = f.explicit(other.obs);
        expect(new Explicit().run()).toBe('ran');
        expect(other.spans().map((s) => s.name)).toEqual(['Explicit.run']);
        expect(sample(await other.scrape(), 'method_calls_total', { class: 'Explicit', method: 'run' })).toBe(1);
        expect(other.logs.entries.map((e) => e.message)).toEqual(['Explicit.run called', 'Explicit.run succeeded']);
        expect(h().spans()).toHaveLength(0);
      } finally {
        await other.close();
      }
    });
  });
}
