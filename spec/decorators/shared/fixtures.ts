// One fixture source for both decorator standards: each standard's project compiles this
// file with its own tsconfig (see jest.config.js), so the classes below really are
// decorated once the legacy way and once the TC39 way.
import 'reflect-metadata';
import type { ObservabilityCore } from '../../../lib/createObservabilityCore';
import { Logged, Metered, Traced } from '../../../index';
import type { Fixtures } from './fixtureTypes';

/** The standard-specific parts: NestJS-style metadata decorators written for that standard. */
export interface MetadataDecorators {
  readonly standard: Fixtures['standard'];
  readonly designMetadata: boolean;
  // `any`: a decorator of either standard, whichever the compiling project uses.
  readonly Roles: (...roles: string[]) => any;
  readonly Tag: (tag: string) => any;
}

/** Defines the decorator-applied classes, decorated under the standard this file is compiled with. */
export function defineFixtures(meta: MetadataDecorators): Fixtures {
  const { standard, designMetadata, Roles, Tag } = meta;
  const probeCalls: unknown[][] = [];
  function probe(...args: unknown[]): void {
    probeCalls.push(args);
  }

  const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  class Calc {
    constructor(public offset: number) {}

    @Traced() @Metered() @Logged()
    add(a: number, b: number): number {
      return a + b + this.offset;
    }

    @Traced() @Metered() @Logged()
    fail(error: unknown): never {
      throw error;
    }

    @Traced() @Metered() @Logged()
    async addLater(a: number, b: number): Promise<number> {
      await tick();
      return this.add(a, b);
    }

    @Traced() @Metered() @Logged()
    async failLater(error: unknown): Promise<never> {
      await tick();
      throw error;
    }

    @Traced() @Metered() @Logged()
    returnPromise<T>(promise: Promise<T>): Promise<T> {
      return promise;
    }

    @Traced() @Metered() @Logged()
    returnThenable<T>(thenable: PromiseLike<T>): PromiseLike<T> {
      return thenable;
    }

    @Traced() @Metered() @Logged()
    async *count(n: number): AsyncGenerator<number> {
      for (let i = 0; i < n; i++) {
        await tick();
        yield this.add(i, 0);
      }
    }

    @Traced() @Metered() @Logged()
    async *countThenFail(n: number, error: unknown): AsyncGenerator<number> {
      yield* this.count(n);
      throw error;
    }

    @Traced() @Metered() @Logged()
    async nested(): Promise<number> {
      const first = this.add(1, 2);
      return first + (await this.addLater(1, 1));
    }

    @probe
    plain(): string {
      return `plain ${this.offset}`;
    }

    @Traced() @Metered() @Logged()
    static create(offset: number): Calc {
      return new Calc(offset);
    }

    @Traced() @Metered() @Logged()
    static failStatic(error: unknown): never {
      throw error;
    }
  }

  class SubCalc extends Calc {}

  @Traced() @Metered() @Logged()
  class Whole {
    private value = 1;

    a(): string {
      return 'a';
    }

    async b(x: number): Promise<number> {
      await tick();
      return x * 2;
    }

    get g(): number {
      return this.value;
    }

    set s(x: number) {
      this.value = x;
    }

    @Traced()
    tracedTwice(): string {
      return 'twice';
    }
  }

  class Options {
    @Traced({ name: 'orders.find', attributes: (id: string) => ({ 'order.id': id }) })
    @Metered({ name: 'orders', inFlight: true, buckets: [0.1, 1] })
    @Logged({ entryLevel: 'info', successLevel: 'warn', logArgs: true, logResult: true, bounds: { maxString: 10 } })
    find(id: string, _user: { name: string; password: string }): { id: string; token: string; text: string } {
      return { id, token: 'secret-token', text: 'x'.repeat(50) };
    }

    @Traced({
      attributes: () => {
        throw new Error('attribute function failed');
      },
    })
    broken(id: string): string {
      return id;
    }

    @Logged({ entryLevel: false, successLevel: false })
    quiet(): string {
      return 'quiet';
    }
  }

  class Ordered {
    @Traced() @Logged()
    tracedOutside(): string {
      return 'traced outside';
    }

    @Logged() @Traced()
    loggedOutside(): string {
      return 'logged outside';
    }
  }

  class WithMetadata {
    @Roles('admin')
    @Traced() @Metered() @Logged()
    @Tag('inner')
    handle(id: string, n: number): string {
      return `${id}:${n}`;
    }

    @Traced() @Roles('outer')
    outer(): string {
      return 'outer';
    }
  }

  function explicit(instance: ObservabilityCore): new () => { run(): string } {
    class Explicit {
      @Traced({ instance }) @Metered({ instance }) @Logged({ instance })
      run(): string {
        return 'ran';
      }
    }
    return Explicit;
  }

  return { standard, probeCalls, Calc, SubCalc, Whole, Options, Ordered, WithMetadata, explicit, designMetadata };
}
