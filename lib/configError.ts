/**
 * Thrown at construction when an option is wrong. The message names the option,
 * the value it had and what is accepted, so the fix is in the message.
 */
export class ObservabilityConfigError extends TypeError {
  /** Dotted path of the offending option, for example `health.timeoutMs`. */
  readonly option: string;

  constructor(option: string, value: unknown, accepted: string) {
    super(`express-observability: option "${option}" is ${describe(value)}; expected ${accepted}.`);
    this.name = 'ObservabilityConfigError';
    this.option = option;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${JSON.stringify(value).slice(0, 60)})`;
  if (typeof value === 'object') return `an object (${safeJson(value)})`;
  return String(value);
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value).slice(0, 60);
  } catch {
    return '[unserializable]';
  }
}

/** Validation helpers used by every resolve step. Each returns the value or throws. */
export const assertOption = {
  positiveNumber(option: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new ObservabilityConfigError(option, value, 'a finite number greater than 0');
    }
    return value;
  },
  nonNegativeNumber(option: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ObservabilityConfigError(option, value, 'a finite number of 0 or more');
    }
    return value;
  },
  ratio(option: string, value: unknown): number {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new ObservabilityConfigError(option, value, 'a number from 0 to 1');
    }
    return value;
  },
  nonEmptyString(option: string, value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ObservabilityConfigError(option, value, 'a non-empty string');
    }
    return value;
  },
  boolean(option: string, value: unknown): boolean {
    if (typeof value !== 'boolean') throw new ObservabilityConfigError(option, value, 'true or false');
    return value;
  },
  oneOf<T extends string>(option: string, value: unknown, accepted: readonly T[]): T {
    if (typeof value !== 'string' || !accepted.includes(value as T)) {
      throw new ObservabilityConfigError(option, value, `one of ${accepted.map((a) => `"${a}"`).join(', ')}`);
    }
    return value as T;
  },
  func(option: string, value: unknown): (...args: any[]) => any {
    if (typeof value !== 'function') throw new ObservabilityConfigError(option, value, 'a function');
    return value as (...args: any[]) => any;
  },
};
