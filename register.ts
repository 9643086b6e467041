/**
 * Preload entry: patches `http`/`https` and `fetch` before the app loads them, so outgoing
 * calls get CLIENT spans and carry `traceparent` to the next service.
 *
 *   node --require express-observability/register app.js     (CommonJS)
 *   node --import express-observability/register app.mjs     (ESM; installs the loader hook)
 *
 * `EXPRESS_OBSERVABILITY_INSTRUMENTATION=full` also traces the http server and every Express
 * layer (costly; see the README); `off` or `OTEL_SDK_DISABLED=true` disables it. The spans go
 * to the instance created later with `tracing.registerGlobal` (by default, the first instance).
 */
import { enableAutoInstrumentation } from './lib/tracing/enableAutoInstrumentation';
import { resolveRegisterOptions } from './lib/tracing/tracingOptions';

const options = resolveRegisterOptions(process.env, process.execArgv);
if (options.mode !== 'off') enableAutoInstrumentation({ mode: options.mode, esmHook: options.esmHook });
