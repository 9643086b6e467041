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

/** Per-request routing state, kept off the request object (see followRoute). */
interface RouteState {
  readonly sink: RouteSink;
  route: unknown;
  baseUrl: string | undefined;
  /** Template of the current mount path. */
  template: string;
  /** Mount frames as a flat list: raw baseUrl, its template, raw, template, ... */
  frames: string[] | undefined;
}

// A WeakMap rather than properties on `req`: Express swaps the request's prototype, and V8
// then makes every new own property a slow map transition (measured in bench/).
const states = new WeakMap<object, RouteState>();

type TrackedRequest = { params?: Record<string, unknown> };

/*
 * The accessors are shared by every request, so following the route costs one small state
 * object and two property definitions (which replace properties Express would add anyway).
 */
const routeAccessor: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: TrackedRequest) {
    return states.get(this)?.route;
  },
  // Express sets `req.route` when a route matches, while `req.baseUrl` still holds the
  // mount path of the router that owns it: the one moment the full template is known.
  set(this: TrackedRequest, value: { path?: RoutePath } | undefined) {
    const state = states.get(this);
    if (!state) return;
    state.route = value;
    if (value && value.path !== undefined) state.sink.route = joinRoute(state.template, routePathText(value.path));
  },
};

const baseUrlAccessor: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: TrackedRequest) {
    return states.get(this)?.baseUrl;
  },
  // A router sets `req.baseUrl` to the matched (raw) mount path while `req.params` holds
  // that mount's parameters: segments equal to a parameter value become `:name` again,
  // so `app.use('/users/:id', router)` never puts user ids into labels.
  set(this: TrackedRequest, value: string) {
    const state = states.get(this);
    if (!state) return;
    state.baseUrl = value;
    if (!value) {
      state.template = '';
      if (state.frames) state.frames.length = 0;
      return;
    }
    const frames = (state.frames ??= []);
    while (frames.length > 0 && !isMountPrefix(frames[frames.length - 2]!, value)) frames.length -= 2;
    const parentRaw = frames.length > 0 ? frames[frames.length - 2]! : '';
    const parentTemplate = frames.length > 0 ? frames[frames.length - 1]! : '';
    if (parentRaw === value) {
      state.template = parentTemplate;
      return;
    }
    const template = parentTemplate + templateOf(value.slice(parentRaw.length), this.params);
    frames.push(value, template);
    state.template = template;
  },
};

/**
 * Follows Express's routing on `req` and writes the matched route template, with the
 * templates of every mount path, to `sink.route`. Works on Express 4 and 5.
 */
export function followRoute(req: object, sink: RouteSink): void {
  // Mounted inside a router (`router.use(obs.middleware())`), the request already has a mount path.
  const current = (req as { baseUrl?: unknown }).baseUrl;
  const base = typeof current === 'string' ? current : '';
  states.set(req, { sink, route: undefined, baseUrl: base, template: base, frames: base ? [base, base] : undefined });
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
