const PARAM = /([?&])([^=&]*)=([^&]*)/g;

/** A URL whose query parameters with sensitive names (`?token=...`) have their values replaced by the marker. */
export function redactQuery(url: string, isSensitiveKey: (key: string) => boolean, marker: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const replacement = encodeURIComponent(marker);
  return (
    url.slice(0, q) +
    url.slice(q).replace(PARAM, (m, sep: string, k: string) => {
      let name = k;
      try {
        name = decodeURIComponent(k);
      } catch {
        // a malformed escape: match on the raw name
      }
      return isSensitiveKey(name) ? `${sep}${k}=${replacement}` : m;
    })
  );
}
