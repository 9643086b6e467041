import { ObservabilityConfigError } from '../configError';

/**
 * An options object with known keys only (any keys when `keys` is omitted): a typo
 * such as `timeout` for `timeoutMs` throws instead of being silently ignored.
 */
export function knownKeys<T extends object>(option: string, value: T, keys?: readonly string[]): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ObservabilityConfigError(option, value, 'an options object');
  }
  if (keys) {
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) {
        throw new ObservabilityConfigError(
          `${option}.${key}`,
          (value as Record<string, unknown>)[key],
          `no such option; known: ${keys.join(', ')}`,
        );
      }
    }
  }
  return value;
}
