import { boundValue } from '../../decorators/boundValue';

describe('boundValue (what @Logged writes for arguments and results)', () => {
  it('cuts long strings, deep nesting, long arrays and wide objects', () => {
    const bounds = { maxString: 5, maxDepth: 2, maxEntries: 3, maxNodes: 100 };
    expect(boundValue('abcdefgh', bounds)).toBe('abcde...[3 more chars]');
    expect(boundValue({ a: { b: { c: 1 } } }, bounds)).toEqual({ a: { b: '[Object]' } });
    expect(boundValue([1, 2, 3, 4, 5], bounds)).toEqual([1, 2, 3, '[2 more items]']);
    expect(boundValue({ a: 1, b: 2, c: 3, d: 4 }, bounds)).toEqual({ a: 1, b: 2, c: 3, '...': 'more keys omitted' });
  });

  it('bounds the total work, whatever the size of the value', () => {
    const huge = Array.from({ length: 100_000 }, (_, i) => ({ i, nested: [i, i, i] }));
    const copy = JSON.stringify(boundValue(huge));
    expect(copy.length).toBeLessThan(2000);
    expect(copy).toContain('[truncated]');
  });

  it('survives cycles and describes values JSON cannot carry', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(() => JSON.stringify(boundValue(cyclic))).not.toThrow();
    expect(boundValue({ big: 10n, when: new Date(0), fn: function named() {}, buf: Buffer.alloc(4), map: new Map([[1, 2]]) })).toEqual({
      big: '10',
      when: '1970-01-01T00:00:00.000Z',
      fn: '[Function named]',
      buf: '[Buffer 4 bytes]',
      map: '[Map 1]',
    });
    expect(boundValue(new RangeError('bad'))).toEqual({ type: 'RangeError', message: 'bad' });
  });

  it('redacts secret-looking keys at any depth, and not look-alikes', () => {
    expect(boundValue({ user: { password: 'p', accessToken: 't', 'x-api-key': 'k', passengers: 2 } })).toEqual({
      user: { password: '[REDACTED]', accessToken: '[REDACTED]', 'x-api-key': '[REDACTED]', passengers: 2 },
    });
  });
});
