import { assertOption } from '../configError';

/** Tracing options. */
export interface TracingOptions {
  /** Turn the tracing pillar off. Default: true, unless `OTEL_SDK_DISABLED=true`. */
  readonly enabled?: boolean;
}

/** Tracing options after defaults and validation. */
export interface ResolvedTracingOptions {
  readonly enabled: boolean;
}

/** Resolves tracing options; throws on a bad value. */
export function resolveTracingOptions(input: TracingOptions | false | undefined, env: NodeJS.ProcessEnv): ResolvedTracingOptions {
  const o = input === false ? { enabled: false } : (input ?? {});
  return {
    enabled:
      o.enabled === undefined ? env.OTEL_SDK_DISABLED?.toLowerCase() !== 'true' : assertOption.boolean('tracing.enabled', o.enabled),
  };
}
