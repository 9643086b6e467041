import { DEFAULT_REDACT_KEYS, type RedactKey } from './redactKeys';
import { Sanitizer } from './Sanitizer';

/** Options of {@link redact}; the defaults are those of the logger. */
export interface RedactOptions {
  /** Default: {@link DEFAULT_REDACT_KEYS}. */
  readonly keys?: readonly RedactKey[];
  /** Default: `[REDACTED]`. */
  readonly marker?: string;
  /** Default: 8192. */
  readonly maxStringLength?: number;
  /** Default: 8. */
  readonly maxDepth?: number;
}

let defaultSanitizer: Sanitizer | undefined;

/**
 * A copy of `value` that is safe to log or send anywhere: sensitive fields replaced by
 * the marker at any depth, Errors as `{ type, message, stacktrace, cause, ... }`, long
 * strings cut, cycles and unserializable values turned into short markers. The same rules
 * every log line goes through. Never throws.
 */
export function redact(value: unknown, options?: RedactOptions): unknown {
  const sanitizer = options === undefined ? (defaultSanitizer ??= sanitizerFor({})) : sanitizerFor(options);
  return sanitizer.value(value);
}

function sanitizerFor(o: RedactOptions): Sanitizer {
  return new Sanitizer({
    redactKeys: o.keys ?? DEFAULT_REDACT_KEYS,
    redactMarker: o.marker ?? '[REDACTED]',
    maxStringLength: o.maxStringLength ?? 8192,
    maxDepth: o.maxDepth ?? 8,
  });
}
