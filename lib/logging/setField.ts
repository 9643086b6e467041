/** Assigns a field, also one named `__proto__` (which plain assignment would turn into a prototype). */
export function setField(target: Record<string | symbol, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
