import { performance } from 'node:perf_hooks';
import { ObservabilityConfigError } from '../lib/configError';
import type { ObservabilityCore } from '../lib/createObservabilityCore';
import { defineMethodMetrics } from '../lib/metrics/MethodFamily';
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

/** One label set of a call site, resolved once: a series of the store, or a prom-client metric's. */
interface CallSink {
  observe(seconds: number): void;
}
interface GaugeSink {
  add(delta: number): void;
}

interface MeteredHandles {
  readonly success: CallSink;
  /** Sinks per error type, made once each; bounded by `errorTypes`. */
  readonly failures: Map<string, CallSink>;
  readonly errorTypes: ErrorTypeSet;
  readonly failure: (type: string) => CallSink;
  readonly inFlight: GaugeSink | undefined;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Records a duration histogram and a calls counter for a method (or every method of a class),
 * labelled `class`, `method`, `outcome` (`success` or `error`) and `error_type` (the error's
 * `error.type` as its span and log line carry it, lib/errorType.ts; at most 20 distinct per
 * method, then `_OTHER`). Optionally an in-flight gauge.
 * Each call site resolves its series once and updates them in place: a call does no string
 * building, label hashing or allocation.
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
      if (obs.metrics === undefined) return undefined;
      const { className, methodName } = site;
      const sinks = storeSinks(obs, base, buckets, options.inFlight === true, className, methodName) ?? promClientSinks(obs, base, buckets, options.inFlight === true, className, methodName);
      return { ...sinks, failures: new Map(), errorTypes: new ErrorTypeSet() };
    },
    enter: (h) => {
      h.inFlight?.add(1);
      return performance.now();
    },
    exit: (h, start, failed, error) => {
      const seconds = (performance.now() - start) / 1000;
      (failed ? failureSink(h, error) : h.success).observe(seconds);
      h.inFlight?.add(-1);
    },
  };
  return createDecorator(instrumentation, options.instance);
}

type Sinks = Pick<MeteredHandles, 'success' | 'failure' | 'inFlight'>;

/** The library's own series (the usual case). */
function storeSinks(obs: ObservabilityCore, base: string, buckets: readonly number[], inFlight: boolean, className: string, methodName: string): Sinks | undefined {
  const { prefix, maxSeriesPerMetric } = obs.config.metrics;
  const stores = defineMethodMetrics(obs.metrics!.registry, prefix, obs.errors, (m, meta) => obs.logger.warn(m, meta), {
    durationName: `${prefix}${base}_duration_seconds`,
    callsName: `${prefix}${base}_calls_total`,
    inFlightName: inFlight ? `${prefix}${base}_in_flight` : undefined,
    buckets,
    maxSeries: maxSeriesPerMetric,
  });
  if (stores === undefined) return undefined;
  return {
    success: stores.calls.handle([className, methodName, 'success', '']),
    failure: (type) => stores.calls.handle([className, methodName, 'error', type]),
    inFlight: stores.inFlight?.handle([className, methodName]),
  };
}

/** Metrics of these names the application defined itself through prom-client: recorded into as before. */
function promClientSinks(obs: ObservabilityCore, base: string, buckets: readonly number[], inFlight: boolean, className: string, methodName: string): Sinks {
  const define = obs.metrics!.define;
  const labelNames: MethodLabel[] = ['class', 'method', 'outcome', 'error_type'];
  const duration = define.histogram<MethodLabel>({ name: `${base}_duration_seconds`, help: 'Duration of instrumented method calls in seconds, by class, method and outcome.', labelNames, buckets });
  const calls = define.counter<MethodLabel>({ name: `${base}_calls_total`, help: 'Instrumented method calls, by class, method and outcome.', labelNames });
  const gauge = inFlight ? define.gauge<'class' | 'method'>({ name: `${base}_in_flight`, help: 'Instrumented method calls in progress.', labelNames: ['class', 'method'] }) : undefined;
  const methodLabels = { class: className, method: methodName };
  const sink = (outcome: string, type: string): CallSink => {
    const labels = { ...methodLabels, outcome, error_type: type };
    return {
      observe(seconds) {
        duration.observe(labels, seconds);
        calls.inc(labels);
      },
    };
  };
  return {
    success: sink('success', ''),
    failure: (type) => sink('error', type),
    inFlight: gauge && { add: (delta) => (delta > 0 ? gauge.inc(methodLabels) : gauge.dec(methodLabels)) },
  };
}

function failureSink(h: MeteredHandles, error: unknown): CallSink {
  const type = h.errorTypes.bounded(error);
  let sink = h.failures.get(type);
  if (sink === undefined) {
    sink = h.failure(type);
    h.failures.set(type, sink);
  }
  return sink;
}
