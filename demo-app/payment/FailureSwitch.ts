import { setTimeout as delay } from 'node:timers/promises';
import { HttpError } from '../shared/HttpError';

/** How the payment provider behaves: normally, failing, or slowly. */
export const FAILURE_MODES = ['off', 'error', 'slow'] as const;
/** One of {@link FAILURE_MODES}. */
export type FailureMode = (typeof FAILURE_MODES)[number];

/**
 * Fault injection for the alert demos and tests: stands for the external payment
 * provider going down (`error`) or slowing down (`slow`). Set at start with
 * PAYMENT_FAILURE_MODE / PAYMENT_SLOW_MS, at run time with POST /admin/failure.
 */
export class FailureSwitch {
  mode: FailureMode = 'off';
  slowMs = 1500;

  constructor(env: NodeJS.ProcessEnv) {
    this.set({
      mode: env.PAYMENT_FAILURE_MODE ?? 'off',
      slowMs: env.PAYMENT_SLOW_MS === undefined ? undefined : Number(env.PAYMENT_SLOW_MS),
    });
  }

  /** Validates and applies a new setting; throws a 400 HttpError on a bad one. */
  set(input: { mode?: unknown; slowMs?: unknown }): { mode: FailureMode; slowMs: number } {
    if (!(FAILURE_MODES as readonly unknown[]).includes(input.mode)) {
      throw new HttpError(400, `mode must be one of ${FAILURE_MODES.join(', ')}`);
    }
    if (
      input.slowMs !== undefined &&
      !(Number.isInteger(input.slowMs) && (input.slowMs as number) >= 0 && (input.slowMs as number) <= 30_000)
    ) {
      throw new HttpError(400, 'slowMs must be an integer from 0 to 30000');
    }
    this.mode = input.mode as FailureMode;
    if (input.slowMs !== undefined) this.slowMs = input.slowMs as number;
    return { mode: this.mode, slowMs: this.slowMs };
  }

  /** What the provider does on one charge: throws in `error` mode, waits in `slow` mode. */
  async onProviderCall(): Promise<void> {
    if (this.mode === 'error') throw new HttpError(503, 'payment provider unavailable');
    if (this.mode === 'slow') await delay(this.slowMs);
  }

  /** Health check of the provider: fails while it is down. */
  check = (): Record<string, unknown> => {
    if (this.mode === 'error') throw new Error('payment provider unavailable (failure mode "error")');
    return { mode: this.mode };
  };
}
