/**
 * Times a thenable that is not a native promise. Calling its `then` ourselves could start work
 * twice (query builders run on every `then`), so the caller gets a proxy whose first `then` call
 * is timed and everything else is forwarded to the original object. A thenable whose `then` is
 * never called is never recorded as finished.
 */
export function timeThenable<T extends PromiseLike<unknown>>(thenable: T, done: (failed: boolean, value: unknown) => void): T {
  let timed = false;
  function then(this: unknown, onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown): unknown {
    if (timed) return thenable.then(onFulfilled, onRejected);
    timed = true;
    return thenable.then(
      (value) => {
        done(false, value);
        return onFulfilled ? onFulfilled(value) : value;
      },
      (error: unknown) => {
        done(true, error);
        if (onRejected) return onRejected(error);
        throw error;
      },
    );
  }
  return new Proxy(thenable, {
    get: (target, property, receiver) => (property === 'then' ? then : Reflect.get(target, property, receiver)),
  });
}
