/** A route path as Express stores it: string, array of paths, or RegExp. */
export type RoutePath = string | RegExp | ReadonlyArray<string | RegExp>;

/** The label text of a route path: the template itself, arrays joined by `|`, RegExps as written. */
export function routePathText(path: RoutePath): string {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return String(path);
  return path.map((p) => (typeof p === 'string' ? p : String(p))).join('|');
}

/** Joins a router's mount path and a route path without doubling or losing the slash. */
export function joinRoute(baseUrl: string, routePath: string): string {
  if (!baseUrl) return routePath || '/';
  if (routePath === '/' || routePath === '') return baseUrl;
  return baseUrl + routePath;
}

/** Where the followed route template is written. */
export interface RouteSink {
  route?: string;
}

const kSink = Symbol('express-observability.routeSink');
const kRoute = Symbol('express-observability.route');
const kBaseUrl = Symbol('express-observability.baseUrl');
const kTemplate = Symbol('express-observability.baseTemplate');
/** Mount frames as a flat list: raw baseUrl, its template, raw, template, ... */
const kFrames = Symbol('express-observability.mountFrames');

type TrackedRequest = Record<symbol, any> & { params?: Record<string, unknown> };

/*
 * The accessors are shared by every request (state lives on the request under symbols),
 * so following the route allocates nothing per request beyond two property definitions.
 */
const routeAccessor: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: TrackedRequest) {
    return this[kRoute];
  },
  // Express sets `req.route` when a route matches, while `req.baseUrl` still holds the
  // mount path of the router that owns it: the one moment the full template is known.
  set(this: TrackedRequest, value: { path?: RoutePath } | undefined) {
    this[kRoute] = value;
    if (value && value.path !== undefined) {
      (this[kSink] as RouteSink).route = joinRoute(this[kTemplate] ?? '', routePathText(value.path));
    }
  },
};

const baseUrlAccessor: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: TrackedRequest) {
    return this[kBaseUrl];
  },
  // A router sets `req.baseUrl` to the matched (raw) mount path while `req.params` holds
  // that mount's parameters: segments equal to a parameter value become `:name` again,
  // so `app.use('/users/:id', router)` never puts user ids into labels.
  set(this: TrackedRequest, value: string) {
    this[kBaseUrl] = value;
    if (!value) {
      this[kTemplate] = '';
      if (this[kFrames]) this[kFrames].length = 0;
      return;
    }
    const frames: string[] = (this[kFrames] ??= []);
    while (frames.length > 0 && !isMountPrefix(frames[frames.length - 2]!, value)) frames.length -= 2;
    const parentRaw = frames.length > 0 ? frames[frames.length - 2]! : '';
    const parentTemplate = frames.length > 0 ? frames[frames.length - 1]! : '';
    if (parentRaw === value) {
      this[kTemplate] = parentTemplate;
      return;
    }
    const template = parentTemplate + templateOf(value.slice(parentRaw.length), this.params);
    frames.push(value, template);
    this[kTemplate] = template;
  },
};

/**
 * Follows Express's routing on `req` and writes the matched route template, with the
 * templates of every mount path, to `sink.route`. Works on Express 4 and 5.
 */
export function followRoute(req: object, sink: RouteSink): void {
  (req as TrackedRequest)[kSink] = sink;
  Object.defineProperty(req, 'baseUrl', baseUrlAccessor);
  Object.defineProperty(req, 'route', routeAccessor);
}

function isMountPrefix(raw: string, value: string): boolean {
  return value === raw || (value.startsWith(raw) && value[raw.length] === '/');
}

/** The matched part of a mount path with each segment that equals a parameter value put back as `:name`. */
function templateOf(matched: string, params: Record<string, unknown> | undefined): string {
  if (!params) return matched;
  let keys: string[] | undefined;
  for (const k in params) if (typeof params[k] === 'string') (keys ??= []).push(k);
  if (!keys) return matched;
  const segments = matched.split('/');
  for (let i = 0; i < segments.length; i++) {
    const raw = segments[i]!;
    if (raw === '') continue;
    const decoded = raw.includes('%') ? safeDecode(raw) : raw;
    const key = keys.find((k) => params[k] === decoded);
    if (key !== undefined) segments[i] = `:${key}`;
  }
  return segments.join('/');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
