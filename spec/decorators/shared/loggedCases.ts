import type { Fixtures } from './fixtureTypes';
import type { Harness } from './harness';

/** What @Logged writes. */
export function loggedCases(f: Fixtures, h: () => Harness): void {
  describe(`@Logged (${f.standard})`, () => {
    it('writes an entry line at debug and a success line at info with the duration', () => {
      new f.Calc(0).add(1, 2);
      const [entry, success] = h().logs.entries;
      expect(entry).toMatchObject({ level: 'debug', message: 'Calc.add called', class: 'Calc', function: 'add' });
      expect(entry).not.toHaveProperty('args');
      expect(success).toMatchObject({ level: 'info', message: 'Calc.add succeeded', class: 'Calc', function: 'add' });
      expect(success!.duration_ms).toEqual(expect.any(Number));
      expect(success).not.toHaveProperty('result');
    });

    it('writes an error line with the error fields, for throws and rejections', async () => {
      const error = Object.assign(new TypeError('broken'), { code: 'E_BROKEN' });
      expect(() => new f.Calc(0).fail(error)).toThrow(error);
      await expect(new f.Calc(0).failLater(7)).rejects.toBe(7);
      const failures = h().logs.entries.filter((e) => e.level === 'error');
      expect(failures).toHaveLength(2);
      expect(failures[0]).toMatchObject({ message: 'Calc.fail failed', error: { type: 'TypeError', message: 'broken', code: 'E_BROKEN' } });
      expect(failures[0]!.error.stack).toContain('TypeError: broken');
      expect(failures[1]).toMatchObject({ message: 'Calc.failLater failed', error: { type: 'number', message: '7' } });
    });

    it('logs a promise method when it settles and an async generator when it finishes', async () => {
      await new f.Calc(0).addLater(1, 1);
      for await (const _ of new f.Calc(0).count(1));
      const messages = h().logs.entries.map((e) => e.message);
      expect(messages.filter((m) => m.startsWith('Calc.addLater'))).toEqual(['Calc.addLater called', 'Calc.addLater succeeded']);
      expect(messages.filter((m) => m.startsWith('Calc.count'))).toEqual(['Calc.count called', 'Calc.count succeeded']);
    });

    it('logs arguments and result only when asked, bounded in size and with secrets redacted', () => {
      new f.Options().find('order-1', { name: 'ann', password: 'hunter2' });
      const [entry, success] = h().logs.entries;
      expect(entry).toMatchObject({ level: 'info', message: 'Options.find called', args: ['order-1', { name: 'ann', password: '[REDACTED]' }] });
      expect(success).toMatchObject({ level: 'warn', message: 'Options.find succeeded', result: { id: 'order-1', token: '[REDACTED]' } });
      expect(success!.result.text).toBe('xxxxxxxxxx...[40 more chars]');
      expect(JSON.stringify(h().logs.entries)).not.toContain('hunter2');
    });

    it('writes nothing for levels turned off', () => {
      expect(new f.Options().quiet()).toBe('quiet');
      expect(h().logs.entries).toEqual([]);
    });
  });
}
