import { Logged, Metered, ObservabilityConfigError, Traced } from '../../../index';
import { runDecoratorCases } from '../shared/runDecoratorCases';
import { fixtures } from './fixtures';

// Compiled with standard (TC39) decorators: tsconfig.tc39.json, experimentalDecorators off.
runDecoratorCases(fixtures);

describe('definition errors (tc39)', () => {
  it('throws when the class is defined if used on a getter, setter, field or accessor', () => {
    expect(() => {
      class Getter {
        // @ts-expect-error TypeScript already refuses a method decorator on a getter
        @Traced()
        get value(): number {
          return 1;
        }
      }
      return Getter;
    }).toThrow(ObservabilityConfigError);
    expect(() => {
      class Setter {
        // @ts-expect-error TypeScript already refuses a method decorator on a setter
        @Metered()
        set value(_v: number) {}
      }
      return Setter;
    }).toThrow(/@Metered\(\)" is "a setter \(value\)"; expected a method, a static method or a class/);
    expect(() => {
      class Field {
        // @ts-expect-error TypeScript already refuses a method decorator on a field
        @Logged()
        field = 1;
      }
      return Field;
    }).toThrow(/@Logged\(\)" is "a field \(field\)"/);
    expect(() => {
      class Accessor {
        // @ts-expect-error TypeScript already refuses a method decorator on an auto-accessor
        @Traced()
        accessor value = 1;
      }
      return Accessor;
    }).toThrow(/@Traced\(\)" is "an accessor \(value\)"/);
  });
});
