import { ObservabilityConfigError } from '../lib/configError';
import type { ObservabilityCore } from '../lib/createObservabilityCore';
import { unwrapOnce, wrapMethod, wrappedKinds, type AnyFunction, type Instrumentation, type MethodSite, type SiteResolver } from './wrapMethod';

type AnyClass = abstract new (...args: any[]) => unknown;

/**
 * A decorator for methods, static methods and classes that works under both TypeScript
 * decorator standards: legacy `experimentalDecorators` (NestJS, routing-controllers) and
 * standard TC39 decorators. On a class it instruments every own prototype method, skipping the
 * constructor, getters, setters and methods the same decorator already wraps.
 */
export interface MethodOrClassDecorator {
  /** Legacy (`experimentalDecorators`) method or static method. */
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): any;
  /** Standard (TC39) method or static method. */
  <F extends AnyFunction>(value: F, context: ClassMethodDecoratorContext<any, F>): F | void;
  /** Standard (TC39) class. */
  <C extends AnyClass>(value: C, context: ClassDecoratorContext<C>): C | void;
  /** Legacy class. */
  <C extends AnyClass>(target: C): C | void;
}

/**
 * Builds the decorator for one instrumentation. The call it receives tells the standard apart:
 * TC39 passes `(value, context)` with `context.kind`; legacy passes `(target, key, descriptor)`
 * for members and `(constructor)` for classes. Anything but a method or class throws here, when
 * the class is defined.
 */
export function createDecorator<H, S>(instrumentation: Instrumentation<H, S>, instance: ObservabilityCore | undefined): MethodOrClassDecorator {
  const label = `@${instrumentation.kind}()`;
  const wrap = (fn: AnyFunction, site: SiteResolver): AnyFunction => wrapMethod(fn, site, instrumentation, instance);

  function instrumentClass(ctor: AnyClass, className: string): void {
    const proto = ctor.prototype as object;
    for (const key of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (key === 'constructor' || !d || d.get || d.set || typeof d.value !== 'function') continue;
      if (wrappedKinds(d.value)?.has(instrumentation.kind)) continue;
      const site: MethodSite = { className, methodName: keyName(key), isStatic: false };
      Object.defineProperty(proto, key, { ...d, value: wrap(d.value as AnyFunction, () => site) });
    }
  }

  function decorator(target: unknown, contextOrKey?: unknown, descriptor?: unknown): unknown {
    if (isStandardContext(contextOrKey)) {
      const context = contextOrKey;
      if (context.kind === 'class') {
        instrumentClass(target as AnyClass, String(context.name ?? (target as AnyClass).name));
        return undefined;
      }
      if (context.kind !== 'method' || typeof target !== 'function') throw notAMethod(label, `${/^[aeiou]/.test(context.kind) ? 'an' : 'a'} ${context.kind} (${keyName(context.name)})`);
      const methodName = keyName(context.name);
      if (context.static) {
        let owner: { name?: string } | undefined;
        context.addInitializer?.(function (this: unknown) {
          owner = this as { name?: string };
        });
        return wrap(target as AnyFunction, () => ({ className: owner?.name ?? 'anonymous', methodName, isStatic: true }));
      }
      let site: MethodSite | undefined;
      return wrap(target as AnyFunction, (self, wrapped) => (site ??= { className: declaringClassName(self, context.name, wrapped), methodName, isStatic: false }));
    }
    if (contextOrKey === undefined && descriptor === undefined && typeof target === 'function') {
      instrumentClass(target as AnyClass, (target as AnyClass).name);
      return undefined;
    }
    const key = contextOrKey as string | symbol;
    const d = descriptor as PropertyDescriptor | undefined;
    if (!d || typeof d !== 'object' || d.get || d.set || typeof d.value !== 'function') {
      throw notAMethod(label, `${d?.get || d?.set ? 'an accessor' : 'a property'} (${keyName(key)})`);
    }
    const isStatic = typeof target === 'function';
    const className = isStatic ? (target as AnyClass).name : ((target as object).constructor?.name ?? 'anonymous');
    const site: MethodSite = { className, methodName: keyName(key), isStatic };
    return { ...d, value: wrap(d.value as AnyFunction, () => site) };
  }
  return decorator as MethodOrClassDecorator;
}

interface StandardContext {
  readonly kind: string;
  readonly name: string | symbol | undefined;
  readonly static?: boolean;
  addInitializer?(initializer: (this: unknown) => void): void;
}

function isStandardContext(value: unknown): value is StandardContext {
  return typeof value === 'object' && value !== null && typeof (value as StandardContext).kind === 'string';
}

function keyName(key: string | symbol | undefined): string {
  return typeof key === 'symbol' ? `[${key.description ?? ''}]` : String(key);
}

/**
 * TC39 method decorators are not told their class. The first instrumented call finds it: the
 * nearest prototype of `this` whose property is our wrapper (directly or under other wrappers of
 * ours), else the nearest prototype that has the property at all.
 */
function declaringClassName(self: unknown, key: string | symbol | undefined, wrapped: AnyFunction): string {
  let firstOwner: object | undefined;
  if (key !== undefined) {
    for (let o: unknown = self; o !== null && (typeof o === 'object' || typeof o === 'function'); o = Object.getPrototypeOf(o)) {
      const value = Object.getOwnPropertyDescriptor(o, key)?.value as unknown;
      if (typeof value !== 'function') continue;
      firstOwner ??= o;
      for (let f: unknown = value; f !== undefined; f = unwrapOnce(f)) if (f === wrapped) return ownerName(o);
    }
  }
  return firstOwner ? ownerName(firstOwner) : ownerName(self === null || self === undefined ? undefined : Object.getPrototypeOf(self));
}

function ownerName(owner: unknown): string {
  const name = (owner as { constructor?: { name?: unknown } } | undefined)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'anonymous';
}

function notAMethod(label: string, what: string): ObservabilityConfigError {
  return new ObservabilityConfigError(label, what, 'a method, a static method or a class (use it on a method, not on a field, getter, setter or accessor)');
}
