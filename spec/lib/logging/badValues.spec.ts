import { closeAll, testObservability } from '../../helpers/testObservability';
import { logLines, rawLines } from './logLines';

afterEach(closeAll);

const circular = (): object => {
  const o: Record<string, unknown> = { name: 'loop' };
  o.self = o;
  o.list = [o, { back: o }];
  return o;
};

const throwingGetter = (): object =>
  Object.defineProperty({ ok: 1 }, 'boom', {
    enumerable: true,
    get() {
      throw new Error('getter exploded');
    },
  });

const circularCause = (): Error => {
  const a = new Error('a');
  const b = new Error('b', { cause: a });
  (a as { cause?: unknown }).cause = b;
  return a;
};

const revokedProxy = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

// Each case: the value as a field, what the field must become.
const cases: Array<[string, () => unknown, (field: any) => void]> = [
  [
    'a circular object',
    circular,
    (f) =>
      expect(f).toEqual({ name: 'loop', self: '[Circular]', list: ['[Circular]', { back: '[Circular]' }] }),
  ],
  ['a BigInt', () => 12345678901234567890n, (f) => expect(f).toBe('12345678901234567890')],
  ['a Symbol', () => Symbol('sym'), (f) => expect(f).toBe('Symbol(sym)')],
  [
    'an object with Symbol keys and values',
    () => ({ [Symbol('k')]: 1, v: Symbol.iterator }),
    (f) => expect(f).toEqual({ v: 'Symbol(Symbol.iterator)' }),
  ],
  [
    'a getter that throws',
    throwingGetter,
    (f) => expect(f).toEqual({ ok: 1, boom: '[Threw: Error: getter exploded]' }),
  ],
  [
    'a toJSON that throws',
    () => ({
      toJSON: () => {
        throw new Error('no json');
      },
    }),
    (f) => expect(f).toBe('[Unserializable: Error: no json]'),
  ],
  ['a revoked proxy', revokedProxy, (f) => expect(f).toMatch(/^\[Unserializable: TypeError: /)],
  [
    'an Error with a cause chain',
    () => new Error('top', { cause: new RangeError('mid', { cause: 'root reason' }) }),
    (f) => {
      expect(f).toMatchObject({
        type: 'Error',
        message: 'top',
        cause: { type: 'RangeError', message: 'mid', cause: 'root reason' },
      });
    },
  ],
  [
    'an Error whose cause points back at it',
    circularCause,
    (f) => expect(f).toMatchObject({ message: 'a', cause: { message: 'b', cause: '[Circular]' } }),
  ],
  [
    'a huge string',
    () => 'x'.repeat(100_000),
    (f) => {
      expect(f).toHaveLength(1000 + '...[truncated 99000 chars]'.length);
      expect(f.endsWith('...[truncated 99000 chars]')).toBe(true);
    },
  ],
  [
    'NaN and Infinity',
    () => [NaN, Infinity, -Infinity],
    (f) => expect(f).toEqual(['NaN', 'Infinity', '-Infinity']),
  ],
  [
    'undefined inside arrays',
    () => [1, undefined, () => 2],
    (f) => expect(f).toEqual([1, null, '[Function: anonymous]']),
  ],
  ['a function', () => function named() {}, (f) => expect(f).toBe('[Function: named]')],
  [
    'a Map, a Set, a Date and a Buffer',
    () => ({
      m: new Map([['k', 1]]),
      s: new Set([1, 2]),
      d: new Date(0),
      b: Buffer.alloc(3),
      bad: new Date(NaN),
    }),
    (f) =>
      expect(f).toEqual({
        m: { k: 1 },
        s: [1, 2],
        d: '1970-01-01T00:00:00.000Z',
        b: '[Buffer: 3 bytes]',
        bad: 'Invalid Date',
      }),
  ],
  [
    'a __proto__ key',
    () => JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'),
    (f) => {
      expect(f).toEqual(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  ],
  [
    'a deep object',
    () => JSON.parse('{"a":'.repeat(50) + '1' + '}'.repeat(50)),
    (f) => expect(JSON.stringify(f)).toContain('"[Object]"'),
  ],
  [
    'a long array and a wide object',
    () => ({
      arr: Array.from({ length: 1000 }, (_, i) => i),
      wide: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])),
    }),
    (f) => {
      expect(f.arr).toHaveLength(101);
      expect(f.arr[100]).toBe('[900 more items]');
      expect(Object.keys(f.wide)).toHaveLength(201);
    },
  ],
];

describe('bad values each produce one valid JSON line', () => {
  it.each(cases)('%s as a field', (_name, make, check) => {
    const { obs, logs } = testObservability({ logging: { maxStringLength: 1000 } });
    expect(() => obs.logger.info('bad value', { value: make() })).not.toThrow();
    expect(rawLines(logs)).toHaveLength(1);
    const [line] = logLines(logs);
    expect(line.message).toBe('bad value');
    check(line.value);
  });

  it.each(cases)('%s as the whole meta object or message', (_name, make) => {
    const { obs, logs } = testObservability({ logging: { maxStringLength: 1000 } });
    const v = make();
    expect(() => obs.logger.warn('as meta', v as object)).not.toThrow();
    expect(() => obs.logger.log('warn', v as string)).not.toThrow();
    expect(rawLines(logs)).toHaveLength(2);
    expect(logLines(logs).every((l) => l.level === 'warn' && typeof l.message === 'string')).toBe(true);
  });

  it('a throwing getter on the meta object itself keeps the message and the other fields', () => {
    const { obs, logs } = testObservability();
    obs.logger.info('top-level getter', throwingGetter());
    expect(logLines(logs)).toEqual([
      expect.objectContaining({
        message: 'top-level getter',
        ok: 1,
        boom: '[Threw: Error: getter exploded]',
      }),
    ]);
  });

  it('a frozen info object is logged without being changed', () => {
    const { obs, logs } = testObservability();
    const frozen = Object.freeze({ message: 'frozen', a: 1 });
    obs.logger.info(frozen as never);
    expect(logLines(logs)).toEqual([expect.objectContaining({ level: 'info', message: 'frozen', a: 1 })]);
    expect(frozen).toEqual({ message: 'frozen', a: 1 });
  });

  it('a huge message is truncated too', () => {
    const { obs, logs } = testObservability({ logging: { maxStringLength: 100 } });
    obs.logger.info('m'.repeat(500));
    expect(logLines(logs)[0].message).toBe(`${'m'.repeat(100)}...[truncated 400 chars]`);
  });
});
