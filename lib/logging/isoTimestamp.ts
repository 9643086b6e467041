let lastMs = -1;
let lastIso = '';

/** The current time as an ISO 8601 string, formatted at most once per millisecond. */
export function isoTimestamp(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
