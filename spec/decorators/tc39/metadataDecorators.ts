// Metadata decorators under standard (TC39) decorators: they define reflect-metadata on the
// method function they receive, as libraries moving to the standard do.
export const standard = 'tc39' as const;
/** Standard decorators have no `emitDecoratorMetadata`. */
export const designMetadata = false;

export function Roles(...roles: string[]) {
  return (value: (...args: any[]) => unknown, _context: ClassMethodDecoratorContext): void => {
    Reflect.defineMetadata('roles', roles, value);
  };
}

export function Tag(tag: string) {
  return (value: (...args: any[]) => unknown, _context: ClassMethodDecoratorContext): void => {
    Reflect.defineMetadata('tag', tag, value);
  };
}
