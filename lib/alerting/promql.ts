/** Quotes a PromQL label value: backslash, double quote and newline escaped. */
export function quoteLabelValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `metric{a="x",b=~"y"}` from a metric name and label matchers (`=` unless the value starts with `=~`). */
export function selector(metric: string, matchers: Readonly<Record<string, string>>): string {
  const parts = Object.entries(matchers).map(([label, value]) =>
    value.startsWith('=~')
      ? `${label}=~${quoteLabelValue(value.slice(2))}`
      : `${label}=${quoteLabelValue(value)}`,
  );
  return `${metric}{${parts.join(',')}}`;
}

/** A number as PromQL writes it: plain decimals, no exponent for the usual thresholds. */
export function promNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12)));
}
