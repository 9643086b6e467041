/**
 * Waits for `work` at most `ms` milliseconds: resolves `true` when it settled in time
 * (a rejection goes to `onError`), `false` when the deadline came first. Only the wait
 * ends at the deadline; the work itself goes on. `Infinity` waits without a deadline.
 * Never rejects, and its timer never keeps the process alive.
 */
export function withDeadline(work: () => unknown, ms: number, onError: (error: unknown) => void): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = Number.isFinite(ms) ? setTimeout(() => resolve(false), Math.max(0, ms)) : undefined;
    timer?.unref();
    // Called inside the chain so a synchronous throw is handled like a rejection.
    void Promise.resolve()
      .then(work)
      .then(
        () => true,
        (error: unknown) => {
          onError(error);
          return true;
        },
      )
      .then((inTime) => {
        clearTimeout(timer);
        resolve(inTime);
      });
  });
}

/** Milliseconds left until `ms` from now, never below 0; `undefined` gives `Infinity` throughout. */
export function countdown(ms: number | undefined): () => number {
  if (ms === undefined) return () => Infinity;
  const end = Date.now() + ms;
  return () => Math.max(0, end - Date.now());
}
