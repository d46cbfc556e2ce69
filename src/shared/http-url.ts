// The one test for "an absolute http: or https: URL", shared by the tag-file rules (src_ref), the
// auth realm and the proxy variables.

/** The URL when `text` is an absolute http(s) URL with a host, else undefined. */
export function parseHttpUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return undefined;
  return url;
}

export function isHttpUrl(text: string): boolean {
  return parseHttpUrl(text) !== undefined;
}
