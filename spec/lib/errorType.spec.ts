import { runInNewContext } from 'node:vm';
import { errorType, isErrorLike, requestErrorType } from '../../lib/errorType';
import { safeError } from '../../lib/safeError';

class PaymentDeclinedError extends Error {}
class NamedError extends Error {
  override name = 'CardExpiredError';
}
class NotAnError {}

describe('errorType', () => {
  it.each<[string, unknown, string]>([
    ['a built-in error', new TypeError('x'), 'TypeError'],
    ['a plain Error', new Error('x'), 'Error'],
    ['a subclass that never set its name', new PaymentDeclinedError('x'), 'PaymentDeclinedError'],
    ['a subclass that set its name', new NamedError('x'), 'CardExpiredError'],
    ['an Error renamed', Object.assign(new Error('x'), { name: 'ValidationError' }), 'ValidationError'],
    ['a subclass of a built-in error', new (class extends RangeError {})('x'), 'RangeError'],
    ['a DOMException', new DOMException('gone', 'AbortError'), 'AbortError'],
    ['an aborted signal\'s reason', AbortSignal.abort().reason, 'AbortError'],
    ['a timed-out signal\'s reason', new DOMException('slow', 'TimeoutError'), 'TimeoutError'],
    ['an error of another realm', runInNewContext('new SyntaxError("x")'), 'SyntaxError'],
    ['a qualified name', Object.assign(new Error('x'), { name: 'pg.DatabaseError' }), 'pg.DatabaseError'],
    ['a name with spaces', Object.assign(new Error('x'), { name: 'bad name' }), '_OTHER'],
    ['a name with quotes and braces', Object.assign(new Error('x'), { name: 'x"}{' }), '_OTHER'],
    ['a name past 64 characters', Object.assign(new Error('x'), { name: `E${'x'.repeat(64)}` }), '_OTHER'],
    ['a name that is not a string', Object.assign(new Error('x'), { name: 42 }), 'Error'],
    ['an empty name', Object.assign(new Error('x'), { name: '' }), 'Error'],
    ['a thrown string', 'boom', 'string'],
    ['a thrown number', 7, 'number'],
    ['a thrown undefined', undefined, 'undefined'],
    ['a thrown null', null, 'null'],
    ['a thrown symbol', Symbol('s'), 'symbol'],
    ['a thrown function', () => 1, 'function'],
    ['a plain object', { code: 'E_X' }, 'object'],
    ['a plain object with a name (data, not a type)', { name: 'Alice', message: 'x' }, 'object'],
    ['an object without a prototype', Object.create(null), 'object'],
    ['an instance of a class that is not an Error', new NotAnError(), 'NotAnError'],
  ])('%s', (_case, error, expected) => {
    expect(errorType(error)).toBe(expected);
    // the log line's and the span event's exception.type say the same
    expect(safeError(error).type).toBe(expected);
  });

  it('is the status code when there is no error, and the error when there is one', () => {
    expect(errorType(undefined, 503)).toBe('503');
    expect(errorType(new TypeError('x'), 503)).toBe('TypeError');
    expect(errorType('boom', 500)).toBe('string');
  });

  it('never throws: throwing getters and revoked proxies', () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'name', {
      get() {
        throw new Error('getter');
      },
    });
    expect(errorType(hostile)).toBe('Error');
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(errorType(proxy)).toBe('object');
    expect(isErrorLike(proxy)).toBe(false);
  });
});

describe('requestErrorType', () => {
  const outcome = (statusCode: number, error?: unknown, aborted = false) => ({ statusCode, error, aborted });

  it('is set only for a failed request: a 5xx or an abort', () => {
    expect(requestErrorType(outcome(200))).toBeUndefined();
    expect(requestErrorType(outcome(404))).toBeUndefined();
    // a 4xx is the client's failure even when the error handler answered it
    expect(requestErrorType(outcome(400, new SyntaxError('x')))).toBeUndefined();
    expect(requestErrorType(outcome(500, new TypeError('x')))).toBe('TypeError');
    expect(requestErrorType(outcome(502, 'boom'))).toBe('string');
    expect(requestErrorType(outcome(503))).toBe('503');
    expect(requestErrorType(outcome(499, undefined, true))).toBe('aborted');
    expect(requestErrorType(outcome(499, new TypeError('x'), true))).toBe('aborted');
  });
});
