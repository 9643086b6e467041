/** A field name to redact: a substring of the normalized key, or a RegExp tested on the raw key. */
export type RedactKey = string | RegExp;

/**
 * Field names redacted by default. Strings match any key that contains them once both
 * are lower-cased and stripped of everything but letters and digits, so `token` covers
 * `access_token`, `refreshToken` and `x-auth-token`, and `cookie` covers `set-cookie`.
 */
export const DEFAULT_REDACT_KEYS: readonly RedactKey[] = Object.freeze([
  'authorization',
  'cookie',
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'credential',
]);

// Keys repeat (header names, DTO fields): decisions are cached, up to a bound so
// attacker-chosen keys cannot grow memory.
const CACHE_LIMIT = 2048;

/** Returns a predicate telling whether a field name is sensitive. */
export function createKeyMatcher(keys: readonly RedactKey[]): (key: string) => boolean {
  const substrings = keys.filter((k): k is string => typeof k === 'string').map(normalize);
  const patterns = keys.filter((k): k is RegExp => k instanceof RegExp);
  const cache = new Map<string, boolean>();
  return function isSensitiveKey(key: string): boolean {
    const known = cache.get(key);
    if (known !== undefined) return known;
    const n = normalize(key);
    let hit = false;
    for (let i = 0; i < substrings.length && !hit; i++) hit = n.includes(substrings[i]);
    for (let i = 0; i < patterns.length && !hit; i++) {
      patterns[i].lastIndex = 0;
      hit = patterns[i].test(key);
    }
    if (cache.size < CACHE_LIMIT) cache.set(key, hit);
    return hit;
  };
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}
