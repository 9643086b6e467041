import { Logged, Metered, ObservabilityConfigError, Traced } from '../../../index';
import { runDecoratorCases } from '../shared/runDecoratorCases';
import { fixtures } from './fixtures';

// Compiled with experimentalDecorators and emitDecoratorMetadata (root tsconfig.json).
runDecoratorCases(fixtures);

describe('definition errors (legacy)', () => {
  it('throws when the class is defined if used on a getter, setter or property', () => {
    expect(() => {
      class Getter {
        @Traced()
        get value(): number {
          return 1;
        }
      }
      return Getter;
    }).toThrow(ObservabilityConfigError);
    expect(() => {
      class Setter {
        @Metered()
        set value(_v: number) {}
      }
      return Setter;
    }).toThrow(/@Metered\(\)" is "an accessor \(value\)"; expected a method, a static method or a class/);
    expect(() => Logged()({}, 'field', undefined as unknown as PropertyDescriptor)).toThrow(/@Logged\(\)" is "a property \(field\)"/);
  });

  it('throws on bad options', () => {
    expect(() => Metered({ name: 'bad name' })).toThrow(/@Metered\(\{ name \}\)" is "bad name"/);
    expect(() => Metered({ buckets: [1, 0.5] })).toThrow(ObservabilityConfigError);
    expect(() => Logged({ entryLevel: 'loud' as never })).toThrow(/@Logged\(\{ entryLevel \}\)/);
    expect(() => Traced({ name: '' })).toThrow(/@Traced\(\{ name \}\)/);
  });
});
