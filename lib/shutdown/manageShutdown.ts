import type { Server } from 'node:http';
import { assertOption, ObservabilityConfigError } from '../configError';
import { knownKeys } from '../health/knownKeys';
import { createServerCloser } from './createServerCloser';
import { countdown } from './withDeadline';

/** Hooks and flush get at least this (or a tenth of the grace period) after a drain that used it all. */
const MIN_FLUSH_MS = 500;

/** Options of `obs.manageShutdown(server, options)`. */
export interface ShutdownOptions {
  /** Signals that start the shutdown. Default: `['SIGTERM', 'SIGINT']`. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Wait after readiness turns 503 and before the server stops accepting, for load balancers to notice. Default: 0. */
  readonly readinessDelayMs?: number;
  /**
   * The whole shutdown after the readiness delay (draining in-flight requests, the
   * `onShutdown` hooks, the telemetry flush) finishes within this. Requests still running
   * at its end are cut off; a hook or flush still running is left behind and reported,
   * and spans it could not deliver are counted as dropped. When the drain used it all,
   * hooks and flush still get a tenth of it, at most 500 ms. Default: 10000.
   */
  readonly gracePeriodMs?: number;
  /** Call `process.exit(code)` at the end (only when you ask). Default: false. */
  readonly exit?: boolean;
  /** Called once the shutdown has finished, with an error if a step failed. */
  readonly onDone?: (error?: unknown) => void;
}

/** What `manageShutdown` returns. */
export interface ShutdownHandle {
  /** Starts the shutdown as a signal would; resolves when it is done. Calling again returns the same promise. */
  shutdown(): Promise<void>;
  /** Removes the signal handlers without shutting down. */
  dispose(): void;
}

/** The steps the instance lends to the server shutdown. */
export interface ShutdownParticipant {
  /** Flips readiness to 503. */
  beginShutdown(): void;
  /** Runs hooks and releases the instance (flush spans and logs), finishing within `timeoutMs`. */
  shutdown(options: { readonly timeoutMs: number }): Promise<void>;
}

/**
 * Graceful shutdown of one HTTP server: not ready at once, optional delay, stop
 * accepting (serving, with `Connection: close`, the connections already accepted), let
 * in-flight requests finish within the grace period, close keep-alive sockets, run the
 * instance's hooks and flush. Never exits unless asked.
 */
export function manageShutdown(
  server: Server,
  participant: ShutdownParticipant,
  options: ShutdownOptions = {},
): ShutdownHandle {
  const o = resolveShutdownOptions(server, options);
  const closer = createServerCloser(server);
  let running: Promise<void> | undefined;

  const run = async (): Promise<void> => {
    participant.beginShutdown();
    if (o.readinessDelayMs > 0) await sleep(o.readinessDelayMs);
    const left = countdown(o.gracePeriodMs);
    await closer.close(o.gracePeriodMs);
    // A dead trace backend must not decide when the process ends (its exporter waits 10 s).
    await participant.shutdown({ timeoutMs: Math.max(left(), Math.min(MIN_FLUSH_MS, o.gracePeriodMs / 10)) });
  };

  const finish = (error?: unknown): void => {
    // Handlers stay until here: with none, a second SIGTERM would kill the process mid-drain.
    dispose();
    try {
      options.onDone?.(error);
    } catch {
      // The user's callback failing must not turn into an unhandled rejection of the signal handler.
    }
    if (o.exit) process.exit(error ? 1 : 0);
  };

  const shutdown = (): Promise<void> => {
    running ??= run().then(
      () => finish(),
      (error: unknown) => finish(error),
    );
    return running;
  };

  const onSignal = (): void => {
    void shutdown();
  };
  for (const s of o.signals) process.on(s, onSignal);
  const dispose = (): void => {
    for (const s of o.signals) process.removeListener(s, onSignal);
    closer.dispose();
  };
  return { shutdown, dispose };
}

function resolveShutdownOptions(server: Server, options: ShutdownOptions) {
  if (!server || typeof server.close !== 'function' || typeof server.closeIdleConnections !== 'function') {
    throw new ObservabilityConfigError(
      'manageShutdown(server)',
      server,
      'the http.Server returned by app.listen()',
    );
  }
  const o = knownKeys('manageShutdown', options, [
    'signals',
    'readinessDelayMs',
    'gracePeriodMs',
    'exit',
    'onDone',
  ]);
  const signals = o.signals ?? (['SIGTERM', 'SIGINT'] as const);
  if (!Array.isArray(signals) || !signals.every((s) => typeof s === 'string' && /^SIG[A-Z0-9]+$/.test(s))) {
    throw new ObservabilityConfigError(
      'manageShutdown.signals',
      signals,
      'an array of signal names such as ["SIGTERM", "SIGINT"]',
    );
  }
  if (o.onDone !== undefined) assertOption.func('manageShutdown.onDone', o.onDone);
  return {
    signals: signals as readonly NodeJS.Signals[],
    readinessDelayMs:
      o.readinessDelayMs === undefined
        ? 0
        : assertOption.nonNegativeNumber('manageShutdown.readinessDelayMs', o.readinessDelayMs),
    gracePeriodMs:
      o.gracePeriodMs === undefined
        ? 10_000
        : assertOption.nonNegativeNumber('manageShutdown.gracePeriodMs', o.gracePeriodMs),
    exit: o.exit === undefined ? false : assertOption.boolean('manageShutdown.exit', o.exit),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
