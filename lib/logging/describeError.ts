/** `Name: message` of a thrown value, for markers such as `[Threw: ...]`. Never throws. */
export function describeError(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    return 'unknown error';
  }
}

/** Reads a property that may be a throwing getter; the throw becomes a marker. */
export function safeRead(o: object, key: string): unknown {
  try {
    return (o as Record<string, unknown>)[key];
  } catch (e) {
    return `[Threw: ${describeError(e)}]`;
  }
}

/** Class name of an error: a subclass that never set `name` still reports its own class. */
export function errorType(e: Error): string {
  const name = safeRead(e, 'name');
  const ctor = (safeRead(e, 'constructor') as { name?: unknown } | undefined)?.name;
  if (
    (name === undefined || name === 'Error') &&
    typeof ctor === 'string' &&
    ctor !== '' &&
    ctor !== 'Object'
  )
    return ctor;
  return typeof name === 'string' ? name : 'Error';
}
