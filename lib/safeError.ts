import { errorType, isErrorLike } from './errorType';

/**
 * The one place that decides what may be said about an error: the error handler's
 * answer, the log lines (the sanitizer) and the span's exception event all describe an
 * error through {@link safeError}, so a request body an error carries (body-parser's
 * `err.body`, V8's quote of the input in a JSON `SyntaxError`) is cut the same way in all
 * three.
 */

/** What may be said about an error in a response, a log line or a span. */
export interface SafeError {
  /** The value is an Error (by shape, so errors of another realm count). */
  readonly isError: boolean;
  /** The error's `error.type` (lib/errorType.ts): `SyntaxError`, `PayloadTooLargeError`; `typeof` for a thrown primitive. */
  readonly type: string;
  /** The message with any quoted input replaced; a throwing getter becomes a `[Threw: ...]` marker. */
  readonly message: string;
  /** The stack, its header cut like the message; undefined when there is none. */
  readonly stack: string | undefined;
  /** `code` when it is a string or number (`ECONNREFUSED`), else undefined. */
  readonly code: string | number | undefined;
  /** `status` or `statusCode` when it is an integer from 400 to 599, else undefined. */
  readonly status: number | undefined;
  /** The error says its message is meant for the client (`expose: true`, as http-errors and body-parser set it). */
  readonly expose: boolean;
}

// V8 (Node >= 20) quotes up to ~10 characters either side of the fault:
// `Unexpected token 's', ..."assword": sekret-jso"... is not valid JSON`, or all of a short
// input: `"[sekret]" is not valid JSON`. body-parser's strict-mode error has the same shape.
// The quote starts after `, `, `: ` or at the start; greedy, so quotes inside it are covered.
const JSON_INPUT = /(^|, |: )(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON/;
const JSON_SUFFIX = ' is not valid JSON';

/** A message without the input a parser quoted in it: the quote becomes `input is not valid JSON`. */
export function withoutInput(message: string): string {
  return message.includes(JSON_SUFFIX) ? message.replace(JSON_INPUT, '$1input is not valid JSON') : message;
}

// Field names that hold a request body on errors: `body` (body-parser), `rawBody`,
// `requestBody`, `raw_body`, `payload`, ... compared without case, `_` and `-`.
const BODY_NAME = /(body|payload)$/;

/** Tells whether an error's own field is named like a raw request body, which is never written out. */
export function isRawBodyKey(key: string): boolean {
  return BODY_NAME.test(key.toLowerCase().replace(/[-_]/g, ''));
}

/** Describes anything thrown as a {@link SafeError}. Never throws. */
export function safeError(error: unknown): SafeError {
  if (typeof error !== 'object' || error === null || !isErrorLike(error)) {
    return {
      isError: false,
      type: errorType(error),
      message: withoutInput(printable(error)),
      stack: undefined,
      code: undefined,
      status: statusOf(error),
      expose: false,
    };
  }
  const message = safeRead(error, 'message');
  const stack = safeRead(error, 'stack');
  const code = safeRead(error, 'code');
  return {
    isError: true,
    type: errorType(error),
    message: withoutInput(
      typeof message === 'string' ? message : message === undefined ? '' : printable(message),
    ),
    stack: typeof stack === 'string' ? cutStackHeader(stack) : undefined,
    code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    status: statusOf(error),
    expose: safeRead(error, 'expose') === true,
  };
}

/** Reads a property that may be a throwing getter; the throw becomes a marker. */
export function safeRead(o: object, key: string): unknown {
  try {
    return (o as Record<string, unknown>)[key];
  } catch (e) {
    return `[Threw: ${describeThrow(e)}]`;
  }
}

/** `Type: message` of a thrown value, cut like any message, for markers such as `[Threw: ...]`. Never throws. */
export function describeThrow(e: unknown): string {
  try {
    return e instanceof Error ? withoutInput(`${e.name}: ${e.message}`) : withoutInput(String(e));
  } catch {
    return 'unknown error';
  }
}

/** The header (`Type: message`, perhaps several lines) is cut; the frames are kept as they are. */
function cutStackHeader(stack: string): string {
  if (!stack.includes(JSON_SUFFIX)) return stack;
  const frames = stack.search(/\n\s+at /);
  return frames === -1 ? withoutInput(stack) : withoutInput(stack.slice(0, frames)) + stack.slice(frames);
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const s = safeRead(error, 'status') ?? safeRead(error, 'statusCode');
  return typeof s === 'number' && Number.isInteger(s) && s >= 400 && s <= 599 ? s : undefined;
}

function printable(v: unknown): string {
  try {
    return String(v);
  } catch {
    return 'unprintable error';
  }
}
