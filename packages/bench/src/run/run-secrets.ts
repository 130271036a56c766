import { basicAuthorization, percentDecode } from "./request-authorization.js";

/** Header names whose values are credentials: `authorization`, `api-key` (Azure), `x-api-key`, a gateway's token. */
const CREDENTIAL_HEADER = /auth|key|token|secret|password|cookie|session/i;

/**
 * What a run redacts from every message, record and point: the API key, the password of a base URL that carries
 * one (`http://user:pw@host`, as written and percent-decoded) and the Basic credentials it is sent as, and the values
 * of headers that hold credentials (`--header "api-key: ..."`, `--header "Authorization: Bearer ..."`, with the token
 * alone too), since a server may echo what it got in an error body.
 * @example runSecrets({ apiKey: "sk-1", baseUrl: "http://h:8000", headers: { "x-api-key": "k-2" } }) // ["sk-1", "k-2"]
 */
export function runSecrets(o: {
  apiKey?: string;
  baseUrl: string;
  headers: Readonly<Record<string, string>>;
}): string[] {
  const secrets = new Set<string>();
  if (o.apiKey) secrets.add(o.apiKey);
  const url = new URL(o.baseUrl);
  if (url.password) {
    secrets.add(url.password);
    // as the user typed it (`p@ss` of `p%40ss`); percent-decoded without throwing on a `%` that starts no escape
    secrets.add(percentDecode(url.password).toString("utf8"));
  }
  // the credentials it is sent as (`Basic <token>`), which a server may echo in an error body
  const basic = basicAuthorization(url);
  if (basic) secrets.add(basic.slice("Basic ".length));
  for (const [name, value] of Object.entries(o.headers)) {
    if (!CREDENTIAL_HEADER.test(name) || value === "") continue;
    secrets.add(value);
    // `Bearer <token>`, `Basic <credentials>`: the token may come back without its scheme
    const token = /^\S+\s+(\S+)$/.exec(value)?.[1];
    if (token) secrets.add(token);
  }
  // the longest first, so that a secret inside another never leaves the rest of the longer one behind
  return [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}
