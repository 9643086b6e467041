import type { ObservabilityCore } from './createObservabilityCore';

// The one global holder: the decorators read it at call time. No-op (undefined) by default.
let current: ObservabilityCore | undefined;

/** The instance the decorators use, if any. */
export function getGlobalObservability(): ObservabilityCore | undefined {
  return current;
}

/** Makes `instance` the one the decorators use. */
export function setGlobalObservability(instance: ObservabilityCore | undefined): void {
  current = instance;
}

/** Forgets the global instance; decorated methods then run untouched. */
export function resetGlobalObservability(): void {
  current = undefined;
}
