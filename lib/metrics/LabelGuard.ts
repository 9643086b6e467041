import { MAX_LABEL_VALUE_LENGTH, type LabelErrorReason, type SelfMetrics } from './SelfMetrics';

/** Label value of the one series that takes every combination past the cap. */
export const OVERFLOW_LABEL = 'OVERFLOW';

type Labels = Record<string, string>;
type AnyFn = (...args: any[]) => any;

/** What the guard knows about one metric. */
interface GuardedState {
  readonly name: string;
  readonly labelNames: readonly string[];
  readonly labelSet: ReadonlySet<string>;
  readonly seen: Set<string>;
  readonly overflowLabels: Labels;
}

/** Methods whose first argument is a label set (or, when not an object, the value). */
const LABELLED_VALUE = ['inc', 'dec', 'set', 'observe'] as const;
/** Methods that take only a label set. */
const LABELS_ONLY = ['setToCurrentTime', 'zero'] as const;

/**
 * Makes a user-defined prom-client metric safe at run time: unknown labels are dropped,
 * missing ones filled with `""`, non-string values converted or emptied, long values cut,
 * label combinations capped (then sent to one OVERFLOW series), and invalid numbers
 * ignored. Each fix is counted in the self-metrics; nothing throws into the caller.
 */
export class LabelGuard {
  constructor(
    private readonly self: SelfMetrics,
    private readonly maxSeries: number,
  ) {}

  /** Wraps the recording methods of `metric` in place and returns it. */
  protect<M extends object>(metric: M): M {
    const m = metric as unknown as Record<string, AnyFn> & { name: string; labelNames?: string[]; enableExemplars?: boolean };
    // prom-client's exemplar methods take one options object; they are left as they are.
    if (m.enableExemplars) return metric;
    const labelNames = m.labelNames ?? [];
    const state: GuardedState = {
      name: m.name,
      labelNames,
      labelSet: new Set(labelNames),
      seen: new Set(),
      overflowLabels: Object.fromEntries(labelNames.map((n) => [n, OVERFLOW_LABEL])),
    };
    const fix = (labels: Record<string, unknown>): Labels => this.fix(state, labels);
    const count = (reason: LabelErrorReason): void => this.self.labelError(state.name, reason);
    for (const method of LABELLED_VALUE) {
      const raw = m[method];
      if (typeof raw !== 'function') continue;
      m[method] = function guardedRecord(this: unknown, labels?: unknown, value?: unknown): void {
        const v = isObject(labels) ? value : labels;
        // prom-client lets NaN through (it is falsy) and would then expose `Nan`.
        if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) {
          count('invalid_number');
          return;
        }
        try {
          if (isObject(labels)) raw.call(this, fix(labels), value);
          else if (labelNames.length === 0) raw.call(this, labels);
          else raw.call(this, fix({}), labels);
        } catch {
          count('invalid_number');
        }
      };
    }
    for (const method of LABELS_ONLY) {
      const raw = m[method];
      if (typeof raw !== 'function') continue;
      m[method] = function guardedLabels(this: unknown, labels?: unknown): void {
        try {
          raw.call(this, labels === undefined && labelNames.length === 0 ? undefined : fix(isObject(labels) ? labels : {}));
        } catch {
          count('invalid_number');
        }
      };
    }
    const remove = m.remove;
    if (typeof remove === 'function') m.remove = safeFn(remove);
    const startTimer = m.startTimer;
    if (typeof startTimer === 'function') {
      // Start labels may be completed by the end labels, so they are fixed when the timer ends (in set/observe).
      m.startTimer = function guardedStartTimer(this: unknown, ...args: unknown[]) {
        try {
          return safeFn(startTimer.apply(this, args) as AnyFn);
        } catch {
          count('invalid_value');
          return () => 0;
        }
      };
    }
    const labelsFn = m.labels;
    if (typeof labelsFn === 'function') {
      m.labels = function guardedChild(this: unknown, ...args: unknown[]) {
        const given = args.length === 1 && isObject(args[0]) ? args[0] : Object.fromEntries(args.map((v, i) => [labelNames[i] ?? `_${i}`, v]));
        try {
          const child = labelsFn.call(this, fix(given)) as Record<string, AnyFn>;
          for (const k of Object.keys(child)) child[k] = safeFn(child[k]!, () => count('invalid_number'));
          return child;
        } catch {
          count('invalid_value');
          return noopChild;
        }
      };
    }
    const reset = m.reset;
    if (typeof reset === 'function') {
      m.reset = function guardedReset(this: unknown) {
        state.seen.clear();
        return reset.call(this);
      };
    }
    return metric;
  }

  /** A label set with exactly the metric's labels, or the overflow set once the cap is reached. */
  private fix(state: GuardedState, given: Record<string, unknown>): Labels {
    const out: Labels = {};
    for (const key in given) {
      if (!state.labelSet.has(key)) {
        this.self.labelError(state.name, 'unknown_label');
        continue;
      }
      out[key] = this.value(state, given[key]);
    }
    let seriesKey = '';
    for (const n of state.labelNames) {
      if (out[n] === undefined) {
        this.self.labelError(state.name, 'missing_label');
        out[n] = '';
      }
      seriesKey += out[n] + '\u0000';
    }
    if (state.labelNames.length === 0 || state.seen.has(seriesKey)) return out;
    if (state.seen.size >= this.maxSeries) {
      this.self.overflowed(state.name, this.maxSeries);
      return state.overflowLabels;
    }
    state.seen.add(seriesKey);
    return out;
  }

  private value(state: GuardedState, v: unknown): string {
    let reason: LabelErrorReason | undefined;
    let s: string;
    if (typeof v === 'string') s = v;
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') s = String(v);
    else {
      reason = 'invalid_value';
      s = '';
    }
    if (s.length > MAX_LABEL_VALUE_LENGTH) {
      reason = 'too_long';
      s = s.slice(0, MAX_LABEL_VALUE_LENGTH);
    }
    if (reason) this.self.labelError(state.name, reason);
    return s;
  }
}

const noopChild = {
  inc: () => undefined,
  dec: () => undefined,
  set: () => undefined,
  setToCurrentTime: () => undefined,
  observe: () => undefined,
  startTimer: () => () => 0,
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function safeFn(fn: AnyFn, onError?: () => void): AnyFn {
  return function safe(this: unknown, ...args: unknown[]) {
    try {
      return fn.apply(this, args);
    } catch {
      onError?.();
      return undefined;
    }
  };
}
