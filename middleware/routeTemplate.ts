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
