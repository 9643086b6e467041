/** Where a telemetry failure happened. */
export type TelemetrySource =
  | 'health'
  | 'metrics'
  | 'tracing'
  | 'exporter'
  | 'logging'
  | 'decorator'
  | 'middleware'
  | 'shutdown';

/** Called for every failure while recording telemetry. Must not throw. */
export type TelemetryErrorHandler = (error: unknown, source: TelemetrySource) => void;

/** Counts telemetry failures and reports them without ever throwing into user code. */
export interface ErrorReporter {
  report(source: TelemetrySource, error: unknown): void;
  /** Failures counted so far, by source. */
  counts(): Readonly<Record<string, number>>;
}

/**
 * Builds the run-time error channel. With no user handler, the first failure of each
 * source per `intervalMs` is passed to `warn` and the rest are only counted.
 */
export function createErrorReporter(options: {
  onError?: TelemetryErrorHandler;
  warn: (message: string, error: unknown) => void;
  intervalMs?: number;
  now?: () => number;
}): ErrorReporter {
  const counts: Record<string, number> = {};
  const lastWarned = new Map<TelemetrySource, number>();
  const interval = options.intervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  return {
    report(source, error) {
      counts[source] = (counts[source] ?? 0) + 1;
      try {
        if (options.onError) {
          options.onError(error, source);
          return;
        }
        const last = lastWarned.get(source);
        const t = now();
        if (last === undefined || t - last >= interval) {
          lastWarned.set(source, t);
          options.warn(`express-observability: ${source} failure (further ones counted, not logged, for ${interval} ms)`, error);
        }
      } catch {
        // A failing error handler is the last place an error could surface; it is counted above.
      }
    },
    counts: () => counts,
  };
}
