import type { ObservabilityCore } from '../../../lib/createObservabilityCore';

/** A class with all three decorators stacked on every kind of method. */
export interface CalcLike {
  offset: number;
  add(a: number, b: number): number;
  fail(error: unknown): never;
  addLater(a: number, b: number): Promise<number>;
  failLater(error: unknown): Promise<never>;
  returnPromise<T>(promise: Promise<T>): Promise<T>;
  returnThenable<T>(thenable: PromiseLike<T>): PromiseLike<T>;
  count(n: number): AsyncGenerator<number>;
  countThenFail(n: number, error: unknown): AsyncGenerator<number>;
  nested(): Promise<number>;
  plain(): string;
}

/** The decorator-applied classes a standard's fixture module provides; identical source in both. */
export interface Fixtures {
  /** Which decorator standard compiled the fixtures. */
  readonly standard: 'legacy' | 'tc39';
  /** What a probe decorator was called with, to prove the compilation standard. */
  readonly probeCalls: unknown[][];
  readonly Calc: { new (offset: number): CalcLike; create(offset: number): CalcLike; failStatic(error: unknown): never };
  /** A subclass of Calc without decorators of its own. */
  readonly SubCalc: new (offset: number) => CalcLike;
  /** `@Traced() @Metered() @Logged()` on the class itself. */
  readonly Whole: new () => { a(): string; b(x: number): Promise<number>; readonly g: number; s: number; tracedTwice(): string };
  /** Decorators with options. */
  readonly Options: new () => {
    find(id: string, user: { name: string; password: string }): { id: string; token: string; text: string };
    broken(id: string): string;
    quiet(): string;
  };
  /** Stacking order: Traced outside Logged, and the other way round. */
  readonly Ordered: new () => { tracedOutside(): string; loggedOutside(): string };
  /** NestJS-style metadata decorators stacked with ours. */
  readonly WithMetadata: new () => { handle(id: string, n: number): string; outer(): string };
  /** A class bound to an explicit instance through the options. */
  explicit(instance: ObservabilityCore): new () => { run(): string };
  /** Whether the compiler emitted `design:*` metadata (legacy only). */
  readonly designMetadata: boolean;
}
