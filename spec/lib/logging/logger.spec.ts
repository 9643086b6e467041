import { ObservabilityConfigError } from '../../../lib/configError';
import { MemoryTransport } from '../../helpers/memoryTransport';
import { closeAll, testObservability } from '../../helpers/testObservability';
import { logLines, rawLines } from './logLines';

afterEach(closeAll);

describe('obs.logger', () => {
  it('writes JSON lines with timestamp, level, message, service, logger and the caller fields', () => {
    const { obs, logs } = testObservability();
    obs.logger.info('order placed', { orderId: 'o-1', items: 3, nested: { ok: true } });
    const [line] = logLines(logs);
    expect(Object.keys(line).slice(0, 5)).toEqual(['timestamp', 'level', 'message', 'service', 'logger']);
    expect(line).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      message: 'order placed',
      service: 'test-service',
      logger: 'test-service',
      orderId: 'o-1',
      items: 3,
      nested: { ok: true },
    });
    expect(Date.parse(line.timestamp)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('child({ component }) names the logger field; a call field wins over the child field', () => {
    const { obs, logs } = testObservability({ logging: { name: 'root' } });
    const orders = obs.logger.child({ component: 'orders' });
    orders.info('from child', { a: 1 });
    orders.child({ component: 'orders.repo' }).warn('from grandchild');
    orders.info('override', { component: 'other' });
    obs.logger.info('from root');
    const lines = logLines(logs);
    expect(lines.map((l) => [l.logger, l.level, l.message])).toEqual([
      ['orders', 'info', 'from child'],
      ['orders.repo', 'warn', 'from grandchild'],
      ['other', 'info', 'override'],
      ['root', 'info', 'from root'],
    ]);
    expect(lines[0]).toMatchObject({ component: 'orders', a: 1, service: 'test-service' });
  });

  it('library fields cannot be overwritten by a caller field of the same name', () => {
    const { obs, logs } = testObservability();
    obs.logger.info('x', { service: 'fake', timestamp: 'yesterday', level: 'error' });
    const [line] = logLines(logs);
    expect(line).toMatchObject({ service: 'test-service', level: 'info' });
    expect(line.timestamp).not.toBe('yesterday');
  });

  it('honours the level option and LOG_LEVEL, and a level change at run time', () => {
    const a = testObservability({ logging: { level: 'warn' } });
    a.obs.logger.info('hidden');
    a.obs.logger.debug('hidden');
    a.obs.logger.warn('shown');
    expect(logLines(a.logs).map((l) => l.message)).toEqual(['shown']);
    a.obs.logger.level = 'debug';
    a.obs.logger.debug('now shown');
    expect(logLines(a.logs).map((l) => l.message)).toEqual(['shown', 'now shown']);

    const logs = new MemoryTransport();
    const b = testObservability({
      env: { LOG_LEVEL: 'error' },
      logging: { transports: [logs], level: undefined },
    });
    b.obs.logger.warn('hidden');
    b.obs.logger.error('shown');
    expect(logLines(logs).map((l) => l.message)).toEqual(['shown']);
  });

  it('rejects a bad LOG_LEVEL or LOG_FORMAT naming the variable', () => {
    expect(() => testObservability({ env: { LOG_LEVEL: 'loud' }, logging: { level: undefined } })).toThrow(
      ObservabilityConfigError,
    );
    expect(() => testObservability({ env: { LOG_LEVEL: 'loud' }, logging: { level: undefined } })).toThrow(
      /LOG_LEVEL.*"loud"/,
    );
    expect(() => testObservability({ env: { LOG_FORMAT: 'xml' } })).toThrow(/LOG_FORMAT/);
    expect(() => testObservability({ logging: { maxStringLength: 3 } })).toThrow(/logging.maxStringLength/);
  });

  it('LOG_FORMAT=pretty (and development by default) writes coloured readable lines; production writes JSON', () => {
    const pretty = testObservability({ env: { LOG_FORMAT: 'pretty' } });
    pretty.obs.logger.warn('careful', { orderId: 'o-1' });
    const [p] = rawLines(pretty.logs);
    const ESC = String.fromCharCode(27);
    expect(p.startsWith(`${ESC}[2m`)).toBe(true);
    expect(p).toContain(`${ESC}[33mwarn ${ESC}[0m`);
    expect(p.split(ESC).join('')).toMatch(
      /^\[2m\d\d:\d\d:\d\d\.\d{3}\[0m \[33mwarn \[0m .*\[test-service\].* careful .*orderId=.*o-1/,
    );

    const dev = testObservability({ environment: 'development' });
    dev.obs.logger.info('dev line');
    expect(rawLines(dev.logs)[0]).toMatch(/info .* dev line/);
    expect(() => JSON.parse(rawLines(dev.logs)[0])).toThrow();

    const noColor = testObservability({ environment: 'development', env: { NO_COLOR: '1' } });
    noColor.obs.logger.info('plain');
    expect(rawLines(noColor.logs)[0]).not.toContain(String.fromCharCode(27));

    const access = testObservability({ environment: 'development', env: { NO_COLOR: '1' } });
    const app = require('express')();
    app.use(access.obs.middleware());
    app.get('/api/items/:id', (_req: unknown, res: { json(b: unknown): void }) => res.json({}));
    return require('supertest')(app)
      .get('/api/items/7')
      .expect(200)
      .then(() => {
        const line = rawLines(access.logs).find((l) => l.includes('/api/items/7'));
        // Several services share one terminal in development: the access line names its service.
        expect(line).toMatch(/\[test-service\/access\]/);
        const prod = testObservability({ environment: 'production' });
        prod.obs.logger.info('prod line');
        expect(JSON.parse(rawLines(prod.logs)[0])).toMatchObject({ message: 'prod line' });
      });
  });

  it('pretty lines show an error with its stack and cause', () => {
    const { obs, logs } = testObservability({ logging: { format: 'pretty', colors: false } });
    obs.logger.error(new Error('outer', { cause: new TypeError('inner') }));
    const [text] = rawLines(logs);
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} error \[test-service\] outer\nError: outer\n\s+at /);
    expect(text).toMatch(/\nCaused by: TypeError: inner\n/);
  });

  it('printf-style messages are interpolated', () => {
    const { obs, logs } = testObservability();
    obs.logger.info('%d items for %s', 3, 'alice');
    obs.logger.info('100% done');
    expect(logLines(logs).map((l) => l.message)).toEqual(['3 items for alice', '100% done']);
  });

  it('adds the caller (code.function.name, code.file.path, code.line.number) only when asked', () => {
    const on = testObservability({ logging: { caller: true } });
    function placeOrder(): void {
      on.obs.logger.info('with caller');
    }
    placeOrder();
    on.obs.logger.child({ component: 'c' }).info('child with caller');
    const [a, b] = logLines(on.logs);
    expect(a['code.function.name']).toBe('placeOrder');
    expect(a['code.file.path']).toBe(__filename);
    expect(a['code.line.number']).toEqual(expect.any(Number));
    expect(b['code.file.path']).toBe(__filename);

    const off = testObservability();
    off.obs.logger.info('no caller');
    expect(Object.keys(logLines(off.logs)[0]).some((k) => k.startsWith('code.'))).toBe(false);
  });

  it('drops lines after shutdown without throwing', async () => {
    const { obs, logs } = testObservability();
    obs.logger.info('before');
    await obs.shutdown();
    expect(() => obs.logger.info('after')).not.toThrow();
    expect(logLines(logs).map((l) => l.message)).toEqual(['before']);
  });
});
