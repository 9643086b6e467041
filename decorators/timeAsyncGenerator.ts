import type { AnyFunction } from './wrapMethod';

/** Runs one step of the generator (next, return or throw), with the caller's span active. */
export type StepRunner = (fn: AnyFunction, generator: AsyncGenerator, args: unknown[]) => unknown;

/**
 * Wraps the generator an `async *` method returned so its call is timed until iteration finishes:
 * done, thrown, or ended early by the consumer (`break`, `return()`), which counts as success.
 * Each step runs through `run`, so work inside the generator body sees the method's span.
 * A generator that is never iterated to the end is never recorded as finished.
 */
export function timeAsyncGenerator(generator: AsyncGenerator, run: StepRunner | undefined, done: (failed: boolean, value: unknown) => void): AsyncGenerator {
  let finished = false;
  const finish = (failed: boolean, value: unknown): void => {
    if (finished) return;
    finished = true;
    done(failed, value);
  };
  const step = (fn: AnyFunction, arg: unknown[]): Promise<IteratorResult<unknown>> => {
    let pending: Promise<IteratorResult<unknown>>;
    try {
      pending = (run === undefined ? fn.apply(generator, arg) : run(fn, generator, arg)) as Promise<IteratorResult<unknown>>;
    } catch (error) {
      finish(true, error);
      throw error;
    }
    return Promise.resolve(pending).then(
      (result) => {
        if (result.done) finish(false, result.value);
        return result;
      },
      (error: unknown) => {
        finish(true, error);
        throw error;
      },
    );
  };
  const timed: AsyncGenerator = {
    next: (...arg: unknown[]) => step(generator.next, arg),
    return: (...arg: unknown[]) => step(generator.return, arg),
    throw: (...arg: unknown[]) => step(generator.throw, arg),
    [Symbol.asyncIterator]() {
      return timed;
    },
    [Symbol.toStringTag]: 'AsyncGenerator',
  } as unknown as AsyncGenerator;
  return timed;
}
