import { trace, type TracerProvider } from '@opentelemetry/api';

/** What the preload entry turned on: `client` (outgoing http/https and fetch), `full` (also http server and express layers). */
export type AutoInstrumentationMode = 'off' | 'client' | 'full';

/** The part of an OTel instrumentation this library drives. */
export interface DrivenInstrumentation {
  setTracerProvider(provider: TracerProvider): void;
  disable(): void;
}

// The one process-wide holder: instrumentations patch modules once per process, at preload,
// before any instance exists. Instances attach their provider to it later.
let state: { mode: AutoInstrumentationMode; instrumentations: DrivenInstrumentation[]; owner: TracerProvider | undefined } | undefined;

/** The mode the preload entry enabled, or `off`. */
export function autoInstrumentationMode(): AutoInstrumentationMode {
  return state?.mode ?? 'off';
}

/** Records the instrumentations the preload entry enabled. */
export function setAutoInstrumentation(mode: AutoInstrumentationMode, instrumentations: DrivenInstrumentation[]): void {
  state = { mode, instrumentations, owner: undefined };
}

/** Disables the instrumentations (unpatching what they patched) and forgets them. */
export function resetAutoInstrumentation(): void {
  for (const i of state?.instrumentations ?? []) i.disable();
  state = undefined;
}

/**
 * Sends the instrumentations' spans to `provider`. Set explicitly rather than through the
 * global proxy, because an instrumentation keeps the tracer it got first and would keep
 * writing to a provider that has since shut down.
 */
export function attachAutoInstrumentation(provider: TracerProvider): void {
  if (!state) return;
  state.owner = provider;
  for (const i of state.instrumentations) i.setTracerProvider(provider);
}

/** Undoes {@link attachAutoInstrumentation} if `provider` is still the one attached. */
export function detachAutoInstrumentation(provider: TracerProvider): void {
  if (!state || state.owner !== provider) return;
  state.owner = undefined;
  for (const i of state.instrumentations) i.setTracerProvider(trace.getTracerProvider());
}
