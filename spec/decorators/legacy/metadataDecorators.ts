// NestJS-style metadata decorators under legacy decorators: like `SetMetadata`, they define
// reflect-metadata on the method function itself.
export const standard = 'legacy' as const;
/** `emitDecoratorMetadata` adds design:type, design:paramtypes and design:returntype. */
export const designMetadata = true;

export function Roles(...roles: string[]) {
  return (_target: object, _key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor => {
    Reflect.defineMetadata('roles', roles, descriptor.value as object);
    return descriptor;
  };
}

export function Tag(tag: string) {
  return (_target: object, _key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor => {
    Reflect.defineMetadata('tag', tag, descriptor.value as object);
    return descriptor;
  };
}
