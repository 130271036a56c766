/**
 * A URL as a message may show it: without the password of its user part (`http://me:***@host`), also when it does
 * not parse (a port out of range, a `/` or `#` in a password that should have been percent-encoded), where everything
 * between the scheme and the last `@` is taken for the user part.
 * @example shownUrl("http://me:pw@gpu-1:9400/metrics") // "http://me:***@gpu-1:9400/metrics"
 * @example shownUrl("http://me:pw@gpu-1:99999") // "http://***@gpu-1:99999"
 */
export function shownUrl(url: string): string {
  if (URL.canParse(url)) {
    const u = new URL(url);
    if (u.password === "") return url;
    u.password = "***";
    return u.href;
  }
  const at = url.lastIndexOf("@");
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (at < 0) return url;
  return `${scheme ?? ""}***${url.slice(at)}`;
}
