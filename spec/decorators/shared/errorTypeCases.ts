import type { Fixtures } from './fixtureTypes';
import { sample, type Harness } from './harness';

class PaymentDeclinedError extends Error {}

/** Each thrown value and its `error.type` (lib/errorType.ts). */
const ERRORS: Array<[string, () => unknown, string]> = [
  ['a custom class', () => new PaymentDeclinedError('declined'), 'PaymentDeclinedError'],
  ['a renamed Error', () => Object.assign(new Error('missing'), { name: 'ValidationError' }), 'ValidationError'],
  ['a DOMException', () => new DOMException('gone', 'AbortError'), 'AbortError'],
  ['a string', () => 'boom', 'string'],
  ['a plain object', () => ({ code: 'E_STOCK' }), 'object'],
  ['a name that is not label-safe', () => Object.assign(new Error('x'), { name: 'not a "label"' }), '_OTHER'],
];

/** The same error.type on the span, the metric label and the log line of a decorated method. */
export function errorTypeCases(f: Fixtures, h: () => Harness): void {
  describe(`error.type of a decorated method (${f.standard})`, () => {
    it.each(ERRORS)('%s: the same on span, metric and log line, sync and async', async (_case, make, expected) => {
      const error = make();
      expect(() => new f.Calc(0).fail(error)).toThrow();
      await expect(new f.Calc(0).failLater(make())).rejects.toBeDefined();
      const scrape = await h().scrape();
      for (const method of ['fail', 'failLater']) {
        const span = h().spans().find((s) => s.name === `Calc.${method}`);
        const line = h().logs.entries.find((e) => e.message === `Calc.${method} failed`);
        expect({
          span: span?.attributes['error.type'],
          exception: span?.events.find((e) => e.name === 'exception')?.attributes?.['exception.type'],
          metric: sample(scrape, 'method_calls_total', { method, outcome: 'error', error_type: expected }),
          log: line?.error.type,
        }).toEqual({ span: expected, exception: expected, metric: 1, log: expected });
      }
    });
  });
}
