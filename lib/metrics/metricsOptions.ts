import type { Registry } from 'prom-client';
import { assertOption, ObservabilityConfigError } from '../configError';

/** Metrics options. */
export interface MetricsOptions {
  /** Turn the metrics pillar off. Default: true. */
  readonly enabled?: boolean;
  /** Registry to use. Default: a new registry owned by the instance. */
  readonly registry?: Registry;
  /** Prefix for every metric name the library defines. Default: none. */
  readonly prefix?: string;
  /** Path of the metrics route. Default: `/metrics`. */
  readonly path?: string;
  /** Labels added to every series. Default: `{ service: serviceName }`. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
}

/** Metrics options after defaults and validation. */
export interface ResolvedMetricsOptions {
  readonly enabled: boolean;
  readonly registry: Registry | undefined;
  readonly prefix: string;
  readonly path: string;
  readonly defaultLabels: Readonly<Record<string, string>>;
}

/** Resolves metrics options; throws on a bad value. */
export function resolveMetricsOptions(
  input: MetricsOptions | false | undefined,
  _env: NodeJS.ProcessEnv,
  serviceName: string,
): ResolvedMetricsOptions {
  const o = input === false ? { enabled: false } : (input ?? {});
  const prefix = o.prefix ?? '';
  if (prefix !== '' && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw new ObservabilityConfigError('metrics.prefix', prefix, 'a Prometheus name prefix such as "shop_"');
  }
  return {
    enabled: o.enabled === undefined ? true : assertOption.boolean('metrics.enabled', o.enabled),
    registry: o.registry,
    prefix,
    path: o.path ?? '/metrics',
    defaultLabels: { service: serviceName, ...o.defaultLabels },
  };
}
