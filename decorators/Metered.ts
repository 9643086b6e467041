import { performance } from 'node:perf_hooks';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { ObservabilityConfigError } from '../lib/configError';
import type { ObservabilityCore } from '../lib/createObservability';
import { createDecorator, type MethodOrClassDecorator } from './createDecorator';
import { ErrorTypeSet } from './errorFields';
import type { Instrumentation } from './wrapMethod';

/** Options of {@link Metered}. */
export interface MeteredOptions {
  /**
   * Base of the metric names: `<name>_duration_seconds` (histogram), `<name>_calls_total`
   * (counter), `<name>_in_flight` (gauge); `metrics.prefix` is put in front. Methods share the
   * metrics and are told apart by the `class` and `method` labels. Default: `method`.
   */
  readonly name?: string;
  /** Histogram buckets in seconds. Default: 1 ms to 10 s (`DEFAULT_METHOD_BUCKETS`). */
  readonly buckets?: readonly number[];
  /** Also keep a gauge of calls in progress. Default: false. */
  readonly inFlight?: boolean;
  /** The instance to use instead of the global one (read at call time). Default: the global instance. */
  readonly instance?: ObservabilityCore;
}

/** Default buckets of the method duration histogram, in seconds. */
export const DEFAULT_METHOD_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type MethodLabel = 'class' | 'method' | 'outcome' | 'error_type';
type Labels = Record<MethodLabel, string>;

interface MeteredHandles {
  readonly duration: Histogram<MethodLabel>;
  readonly calls: Counter<MethodLabel>;
  readonly inFlight: Gauge<'class' | 'method'> | undefined;
  readonly methodLabels: Readonly<Record<'class' | 'method', string>>;
  readonly success: Labels;
  /** Label sets per error type, built once each; bounded by `errorTypes`. */
  readonly failures: Map<string, Labels>;
  readonly errorTypes: ErrorTypeSet;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Records a duration histogram and a calls counter for a method (or every method of a class),
 * labelled `class`, `method`, `outcome` (`success` or `error`) and `error_type` (the error's
 * constructor name, at most 20 distinct per method, then `other`). Optionally an in-flight gauge.
 * Label sets are built once per instance and method, so a call does no string building.
 */
export function Metered(options: MeteredOptions = {}): MethodOrClassDecorator {
  const base = options.name ?? 'method';
  if (typeof base !== 'string' || !NAME.test(base)) {
    throw new ObservabilityConfigError('@Metered({ name })', base, 'a Prometheus name base matching [a-zA-Z_:][a-zA-Z0-9_:]*, such as "order_service"');
  }
  const buckets = options.buckets ?? DEFAULT_METHOD_BUCKETS;
  if (!Array.isArray(buckets) || buckets.length === 0 || buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]!))) {
    throw new ObservabilityConfigError('@Metered({ buckets })', buckets, 'a non-empty array of finite numbers in increasing order');
  }
  const instrumentation: Instrumentation<MeteredHandles, number> = {
    kind: 'Metered',
    prepare: (obs, site) => {
      const define = obs.metrics?.define;
      if (define === undefined) return undefined;
      const methodLabels = { class: site.className, method: site.methodName };
      return {
        duration: define.histogram<MethodLabel>({
          name: `${base}_duration_seconds`,
          help: 'Duration of instrumented method calls in seconds, by class, method and outcome.',
          labelNames: ['class', 'method', 'outcome', 'error_type'],
          buckets,
        }),
        calls: define.counter<MethodLabel>({
          name: `${base}_calls_total`,
          help: 'Instrumented method calls, by class, method and outcome.',
          labelNames: ['class', 'method', 'outcome', 'error_type'],
        }),
        inFlight: options.inFlight
          ? define.gauge<'class' | 'method'>({ name: `${base}_in_flight`, help: 'Instrumented method calls in progress.', labelNames: ['class', 'method'] })
          : undefined,
        methodLabels,
        success: { ...methodLabels, outcome: 'success', error_type: '' },
        failures: new Map(),
        errorTypes: new ErrorTypeSet(),
      };
    },
    enter: (h) => {
      h.inFlight?.inc(h.methodLabels);
      return performance.now();
    },
    exit: (h, start, failed, error) => {
      const seconds = (performance.now() - start) / 1000;
      const labels = failed ? failureLabels(h, error) : h.success;
      h.duration.observe(labels, seconds);
      h.calls.inc(labels);
      h.inFlight?.dec(h.methodLabels);
    },
  };
  return createDecorator(instrumentation, options.instance);
}

function failureLabels(h: MeteredHandles, error: unknown): Labels {
  const type = h.errorTypes.bounded(error);
  let labels = h.failures.get(type);
  if (labels === undefined) {
    labels = { ...h.methodLabels, outcome: 'error', error_type: type };
    h.failures.set(type, labels);
  }
  return labels;
}
