import { closeAll, testObservability } from '../../helpers/testObservability';
import { logLines } from './logLines';

afterEach(closeAll);

class PaymentDeclinedError extends Error {
  readonly code = 'DECLINED';
  readonly status = 402;
  readonly apiKey = 'sk_live_should_not_leak';
}

describe('errors are logged as structured fields', () => {
  it('logger.error(err): message from the error, exception with type, message, stacktrace, cause chain and own properties', () => {
    const { obs, logs } = testObservability();
    const root = Object.assign(new Error('connect ECONNREFUSED'), { errno: -111, syscall: 'connect' });
    const err = new PaymentDeclinedError('card declined', {
      cause: new TypeError('gateway said no', { cause: root }),
    });
    obs.logger.error(err);
    const [line] = logLines(logs);
    expect(line.level).toBe('error');
    expect(line.message).toBe('card declined');
    expect(line.exception).toEqual({
      type: 'PaymentDeclinedError',
      message: 'card declined',
      stacktrace: expect.stringMatching(/^Error: card declined\n\s+at .*errors\.spec\.ts/),
      cause: {
        type: 'TypeError',
        message: 'gateway said no',
        stacktrace: expect.stringContaining('TypeError: gateway said no'),
        cause: {
          type: 'Error',
          message: 'connect ECONNREFUSED',
          stacktrace: expect.any(String),
          errno: -111,
          syscall: 'connect',
        },
      },
      code: 'DECLINED',
      status: 402,
      apiKey: '[REDACTED]',
    });
    // winston did not write level/meta onto the caller's error
    expect(Object.keys(err)).toEqual(['code', 'status', 'apiKey']);
  });

  it("logger.error('msg', err) keeps the message and the whole error", () => {
    const { obs, logs } = testObservability();
    obs.logger.error('payment failed', new RangeError('amount out of range'));
    obs.logger.warn('retrying', new Error('timeout'));
    const [a, b] = logLines(logs);
    expect(a).toMatchObject({
      level: 'error',
      message: 'payment failed',
      exception: { type: 'RangeError', message: 'amount out of range' },
    });
    expect(b).toMatchObject({
      level: 'warn',
      message: 'retrying',
      exception: { type: 'Error', message: 'timeout' },
    });
    expect(a.stack).toBeUndefined();
  });

  it('an error in any field, at any depth, is structured (never {})', () => {
    const { obs, logs } = testObservability();
    obs.logger.warn('batch partly failed', {
      err: new Error('first'),
      results: [{ id: 1, error: new SyntaxError('bad json') }],
    });
    const [line] = logLines(logs);
    expect(line.err).toMatchObject({ type: 'Error', message: 'first', stacktrace: expect.any(String) });
    expect(line.results[0].error).toMatchObject({ type: 'SyntaxError', message: 'bad json' });
  });

  it('child loggers log errors the same way', () => {
    const { obs, logs } = testObservability();
    obs.logger.child({ component: 'payments' }).error(new PaymentDeclinedError('nope'));
    expect(logLines(logs)[0]).toMatchObject({
      logger: 'payments',
      message: 'nope',
      exception: { type: 'PaymentDeclinedError', code: 'DECLINED' },
    });
  });

  it('AggregateError lists its errors; non-Error causes and thrown strings are kept as values', () => {
    const { obs, logs } = testObservability();
    obs.logger.error(new AggregateError([new Error('a'), 'b'], 'several'));
    obs.logger.error('thrown string', { error: 'just a string', cause: { reason: 42 } });
    const [a, b] = logLines(logs);
    expect(a.exception).toMatchObject({
      type: 'AggregateError',
      message: 'several',
      errors: [{ type: 'Error', message: 'a' }, 'b'],
    });
    expect(b).toMatchObject({ error: 'just a string', cause: { reason: 42 } });
  });

  it('an error object given as the message of an info object', () => {
    const { obs, logs } = testObservability();
    obs.logger.log({ level: 'error', message: new Error('as message') as unknown as string, orderId: 7 });
    expect(logLines(logs)[0]).toMatchObject({
      message: 'as message',
      orderId: 7,
      exception: { type: 'Error', message: 'as message' },
    });
  });
});
