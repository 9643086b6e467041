/** The part of reflect-metadata's API we use, present only when the application loaded it. */
interface ReflectMetadataApi {
  getOwnMetadataKeys(target: object): unknown[];
  getOwnMetadata(key: unknown, target: object): unknown;
  defineMetadata(key: unknown, value: unknown, target: object): void;
}

/**
 * Gives `wrapped` the `name` and `length` of `original` and copies the reflect-metadata entries
 * defined on the original function (for example by a NestJS `SetMetadata` applied before ours),
 * so stacked decorators still find them. reflect-metadata is never imported here: the
 * application loads it or it is not there.
 */
export function copyFunctionIdentity(original: (...args: any[]) => unknown, wrapped: (...args: any[]) => unknown): void {
  Object.defineProperty(wrapped, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapped, 'length', { value: original.length, configurable: true });
  const metadata = Reflect as unknown as Partial<ReflectMetadataApi>;
  if (typeof metadata.getOwnMetadataKeys !== 'function' || typeof metadata.getOwnMetadata !== 'function' || typeof metadata.defineMetadata !== 'function') {
    return;
  }
  for (const key of metadata.getOwnMetadataKeys(original)) {
    metadata.defineMetadata(key, metadata.getOwnMetadata(key, original), wrapped);
  }
}
