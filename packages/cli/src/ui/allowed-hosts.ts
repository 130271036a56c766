import { isIP } from "node:net";
import { hostname } from "node:os";

/**
 * The names (beyond IP addresses and localhost) that a request's Host header may give for a server listening on
 * `host`: the given `extra` names, `host` itself when it is a name, and, when it listens beyond loopback (0.0.0.0,
 * a LAN address), this machine's hostname, by which a team opens it. Lower case.
 * @example allowedHostNames("0.0.0.0", ["dash.example.com"]) // ["dash.example.com", "gpubox"]
 */
export function allowedHostNames(host: string, extra: readonly string[] = []): string[] {
  const names = new Set(extra.map((n) => n.trim().toLowerCase()).filter(Boolean));
  const bound = bare(host);
  if (!isIP(bound) && !isLocalhost(bound)) names.add(bound);
  else if (!isLoopback(bound)) names.add(hostname().toLowerCase());
  return [...names];
}

/**
 * Whether a request's Host header is one this server answers: an IP address, `localhost` (or a name under it), or
 * one of `names`. Any other name is how a DNS-rebinding page reaches a server it must not read: a site's name,
 * pointed at this machine's address after the page loaded, makes the browser treat the server as that site.
 * A request without Host (HTTP/1.0, not a browser) is answered.
 * @example hostAllowed("evil.example:8080", []) // false
 */
export function hostAllowed(header: string | undefined, names: readonly string[]): boolean {
  if (header === undefined) return true;
  const name = bare(header.trim().replace(/:\d*$/, ""));
  return isIP(name) !== 0 || isLocalhost(name) || names.includes(name);
}

/**
 * Why a request naming another host is refused, and how the operator allows the name. It does not list the names
 * allowed: the page that sent it may be the one it guards against.
 * @example unknownHost("evil.example:8080") // 'Host "evil.example:8080" is not a name of this server: ...'
 */
export function unknownHost(host: string): string {
  const name = host.replace(/:\d*$/, "");
  return `Host ${JSON.stringify(host)} is not a name of this server: open it by an IP address or localhost, or allow the name with infermark ui --allowed-host ${name} (a guard against DNS rebinding)`;
}

/** A host without the brackets of an IPv6 literal, and without a trailing dot, in lower case. */
const bare = (host: string) =>
  host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");

/** `localhost` and names under it, which browsers resolve to loopback themselves (RFC 6761). */
const isLocalhost = (name: string) => name === "localhost" || name.endsWith(".localhost");

/**
 * Whether an address only this machine reaches (127.0.0.0/8, ::1, localhost): `infermark ui --host` warns for others.
 * @example isLoopback("[::1]") // true
 */
export function isLoopback(host: string): boolean {
  const h = bare(host);
  return isLocalhost(h) || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}
