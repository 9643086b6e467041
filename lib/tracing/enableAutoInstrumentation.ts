import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { autoInstrumentationMode, setAutoInstrumentation, type AutoInstrumentationMode } from './autoInstrumentationState';

/** Options of {@link enableAutoInstrumentation}. */
export interface AutoInstrumentationOptions {
  /**
   * `client`: CLIENT spans for outgoing `http`/`https` and `fetch` calls made inside a traced
   * request or span, and W3C header injection. `full`: also OTel's http SERVER span and one
   * span per Express middleware layer (measured cost in the README). Default: `client`.
   */
  readonly mode?: 'client' | 'full';
  /** Install the ESM loader hook (`import-in-the-middle`) so `import`ed `http` is patched too. Default: false. */
  readonly esmHook?: boolean;
}

/**
 * Patches `http`/`https` and `fetch` (and in `full` mode Express) for the whole process.
 * Modules are patched when loaded, so this must run before the app requires them: use the
 * preload entry `express-observability/register`. Spans go to the instance that registers
 * globally (`tracing.registerGlobal`, the default instance). Idempotent.
 */
export function enableAutoInstrumentation(options: AutoInstrumentationOptions = {}): AutoInstrumentationMode {
  const current = autoInstrumentationMode();
  if (current !== 'off') return current;
  const mode = options.mode ?? 'client';
  if (options.esmHook && typeof register === 'function') {
    register('@opentelemetry/instrumentation/hook.mjs', pathToFileURL(__filename));
  }
  const client = mode === 'client';
  setAutoInstrumentation(mode, [
    // In client mode a call outside any traced work (a background job, a health check)
    // makes no root span of its own: traces stay what users asked for, requests.
    new HttpInstrumentation({ disableIncomingRequestInstrumentation: client, requireParentforOutgoingSpans: client }),
    new UndiciInstrumentation({ requireParentforSpans: client }),
    ...(client ? [] : [new ExpressInstrumentation()]),
  ]);
  return mode;
}
