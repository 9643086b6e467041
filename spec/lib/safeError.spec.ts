import { Logged } from '../../decorators/Logged';
import { isRawBodyKey, safeError, withoutInput } from '../../lib/safeError';
import { closeAll, testObservability } from '../helpers/testObservability';

afterEach(closeAll);

const MESSAGE = Symbol.for('message') as unknown as string;

/** The SyntaxError V8 throws for `text`. */
function parseError(text: string): SyntaxError {
  try {
    JSON.parse(text);
  } catch (e) {
    return e as SyntaxError;
  }
  throw new Error(`${text} parsed`);
}

describe('safeError', () => {
  it.each([
    '{"password": sekret-json}',
    '[sekret]',
    'sekret',
    '{"a": 1, "b": [1, 2, 3], "token": sekret, "c": "padding padding"}',
    '{"quote": "a\\"b", "x": sekret}',
    '"sekret',
  ])('V8 quotes of %s are cut from message and stack; the frames stay', (text) => {
    const e = parseError(text);
    const safe = safeError(e);
    expect(safe.type).toBe('SyntaxError');
    expect(safe.message).not.toContain('sekret');
    expect(safe.message).not.toBe('');
    expect(safe.stack).not.toContain('sekret');
    expect(safe.stack).toMatch(/^SyntaxError: .*\n\s+at JSON\.parse/);
  });

  it('messages without quoted input are kept as they are', () => {
    for (const text of ['{"a": 1', '{a}', '{"a": 1}}', '']) {
      const e = parseError(text);
      expect(safeError(e).message).toBe(e.message);
      expect(safeError(e).stack).toBe(e.stack);
    }
    expect(safeError(new SyntaxError('Unexpected identifier "foo"')).message).toBe(
      'Unexpected identifier "foo"',
    );
  });

  it('a message that wraps a parse error is cut too', () => {
    const inner = parseError('{"password": sekret-json}');
    const wrapped = new Error(`config file invalid: ${inner.message}`);
    expect(withoutInput(wrapped.message)).toBe(
      "config file invalid: Unexpected token 's', input is not valid JSON",
    );
  });

  it('reads status, expose and code, and survives throwing getters and non-errors', () => {
    const e = Object.assign(new Error('gone'), { status: 410, expose: true, code: 'E_GONE' });
    expect(safeError(e)).toMatchObject({
      isError: true,
      status: 410,
      expose: true,
      code: 'E_GONE',
      message: 'gone',
    });
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('getter exploded');
      },
    });
    expect(safeError(hostile).message).toBe('[Threw: Error: getter exploded]');
    expect(safeError('thrown string')).toMatchObject({
      isError: false,
      type: 'string',
      message: 'thrown string',
    });
    expect(safeError({ status: 404 })).toMatchObject({ isError: false, status: 404, expose: false });
    expect(safeError(Object.assign(new Error('x'), { status: 200 })).status).toBeUndefined();
  });

  it('names raw body fields whatever their case or separator', () => {
    for (const key of ['body', 'rawBody', 'raw_body', 'requestBody', 'RAW-BODY', 'payload', 'rawPayload'])
      expect(isRawBodyKey(key)).toBe(true);
    for (const key of ['bodySize', 'type', 'status', 'expose', 'limit', 'length'])
      expect(isRawBodyKey(key)).toBe(false);
  });
});

describe('a parse error logged by the app', () => {
  it('is cut in every form a logger takes it, in a cause chain too, and its body field is redacted', () => {
    const { obs, logs } = testObservability({ logging: { format: 'json' } });
    const inner = Object.assign(parseError('{"password": sekret-json}'), {
      body: '{"password": sekret-json}',
    });
    const outer = new Error('settings rejected', { cause: inner });
    obs.logger.error(inner);
    obs.logger.error('could not load settings', outer);
    obs.logger.warn('bad input', { error: inner, attempts: 1 });
    obs.logger.log({ level: 'error', message: inner as unknown as string });
    const lines = logs.entries.map((e) => e[MESSAGE] as string);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).not.toContain('sekret');
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(first!.message).toBe("Unexpected token 's', input is not valid JSON");
    expect(first!.exception).toMatchObject({ type: 'SyntaxError', body: '[REDACTED]' });
    expect(second!.exception.cause).toMatchObject({
      type: 'SyntaxError',
      message: "Unexpected token 's', input is not valid JSON",
    });
  });
});

describe('a parse error thrown by a @Logged method', () => {
  it('is logged with its type, a cut message and its frames, never the input', () => {
    const { obs, logs } = testObservability({ logging: { format: 'json' } });
    class Settings {
      @Logged({ instance: obs })
      load(text: string): unknown {
        return JSON.parse(text);
      }
    }
    expect(() => new Settings().load('{"apiKey": sekret-json}')).toThrow(SyntaxError);
    const lines = logs.entries.map((e) => e[MESSAGE] as string);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain('sekret');
    const failed = lines.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l.error !== undefined)!;
    expect(failed.error).toMatchObject({
      type: 'SyntaxError',
      message: "Unexpected token 's', input is not valid JSON",
    });
    expect(failed.error.stack).toMatch(/\n\s+at /);
  });
});
