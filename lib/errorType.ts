/**
 * The one home of OpenTelemetry's `error.type`: the server span, the HTTP metrics' `error_type`
 * label, the access log, the decorators (span, `@Metered` label, `@Logged` line) and the client
 * spans of the traced fetch all classify a failure here, so an exemplar links a series to a
 * span that names the same failure the same way, and the log line agrees with both.
 */

/** The fallback of the semantic conventions, for a type name that cannot be used as it is. */
export const OTHER_ERROR_TYPE = '_OTHER';

/** The `error.type` of a request the client left before the response was finished. */
export const ABORTED_ERROR_TYPE = 'aborted';

// A class name, perhaps qualified (`pg.DatabaseError`): short and plain enough for a metric
// label and a log field whatever the error carries. Anything else is `_OTHER`.
const TYPE_NAME = /^[A-Za-z_$][\w$.]{0,63}$/;

/**
 * The `error.type` of a failure, following the semantic conventions:
 * - an Error (by shape, so errors of another realm and `DOMException` count): its `name`
 *   (`TypeError`, `AbortError`, a renamed `ValidationError`), or its class name when the name
 *   was left at `Error` (a subclass that never set it);
 * - any other object: its class name, `object` for a plain object (its fields are data and may
 *   be anything, so they never name the type); a primitive: `typeof` (`string`), or `null`;
 * - no error (`undefined`) with a `statusCode`: the status code as a string (`503`).
 *
 * A name that is not a plain identifier of at most 64 characters becomes `_OTHER`, so the
 * result is always safe as a label value. Pure, and never throws (throwing getters and revoked
 * proxies included).
 */
export function errorType(error: unknown, statusCode?: number): string {
  if (error === undefined && statusCode !== undefined) return String(statusCode);
  if (error === null) return 'null';
  if (typeof error !== 'object') return typeof error;
  const name = read(error, 'name');
  const ctor = read(read(error, 'constructor'), 'name');
  const className = typeof ctor === 'string' && ctor !== '' && ctor !== 'Object' ? ctor : undefined;
  if (!isErrorLike(error)) return className === undefined ? 'object' : checked(className);
  if (typeof name === 'string' && name !== '' && name !== 'Error') return checked(name);
  return className === undefined ? 'Error' : checked(className);
}

/** What {@link requestErrorType} reads of a finished request. */
export interface RequestOutcome {
  readonly aborted: boolean;
  readonly statusCode: number;
  /** The error passed to the error handler, if any. */
  readonly error: unknown;
}

/**
 * The `error.type` of a served request, or undefined when it did not fail: a server fails a
 * request it answers with a 5xx (a 4xx is the client's failure, even when an error was passed
 * on) or one the client left before the answer was finished (`aborted`). A failed request is
 * classified by its error, else by its status code.
 */
export function requestErrorType(r: RequestOutcome): string | undefined {
  if (r.aborted) return ABORTED_ERROR_TYPE;
  if (r.statusCode < 500) return undefined;
  return errorType(r.error, r.statusCode);
}

/**
 * Tells whether a value is an Error by shape: `instanceof Error` fails for errors of another
 * realm (a vm context, a worker, Jest's sandbox), where a `DOMException` is not even tagged
 * `Error`.
 */
export function isErrorLike(o: object): boolean {
  try {
    if (o instanceof Error) return true;
    const tag = Object.prototype.toString.call(o);
    return tag === '[object Error]' || tag === '[object DOMException]';
  } catch {
    return false; // a revoked proxy
  }
}

function checked(name: string): string {
  return TYPE_NAME.test(name) ? name : OTHER_ERROR_TYPE;
}

function read(o: unknown, key: string): unknown {
  if ((typeof o !== 'object' && typeof o !== 'function') || o === null) return undefined;
  try {
    return (o as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
