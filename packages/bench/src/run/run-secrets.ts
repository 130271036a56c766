import { basicAuthorization, percentDecode } from "./request-authorization.js";

/**
 * A last word of a header's name (split at `-`, `_`, `.`) that makes its value a credential, ending the word:
 * Authorization, Proxy-Authorization, Cookie, X-Auth-Token, X-Amz-Security-Token, Private-Token, X-Client-Secret,
 * X-Password, X-Amz-Credential, Apikey, AccessKey, X-Authtoken. Not X-Tokenizer, X-Max-Tokens, X-Token-Budget,
 * Hotkey.
 */
const CREDENTIAL_WORD =
  /(?:AUTHORIZATION|AUTHENTICATION|COOKIE|TOKEN|SECRETS?|PASSWORD|PASSWD|CREDENTIALS?|JWT|(?:API|AUTH|ACCESS|SECRET|PRIVATE|SUBSCRIPTION)KEY)$/;
/**
 * A whole last word that does the same after another word: X-Api-Key, Api-Key, Ocp-Apim-Subscription-Key, X-Auth,
 * X-Hub-Signature. Not Key alone, X-Key-Id, Keyword, Monkey.
 */
const CREDENTIAL_LAST_WORD = /^(?:KEY|AUTH|SIGNATURE)$/;
/** A word that numbers a header, not names it: `2`, `v2`. */
const VERSION_WORD = /^V?[0-9]+$/;
/** A whole word that makes a header a session's, as good as a credential, wherever it is: X-Session-Id. */
const SESSION_WORD = "SESSION";

/**
 * Whether a header's value is a credential, by the words of its name (any case; see CREDENTIAL_WORD,
 * CREDENTIAL_LAST_WORD, SESSION_WORD): what a run redacts, what a sweep spec may only name as an environment variable,
 * and what a server command's header is hidden by. A name that only holds such letters is none: X-Author,
 * X-Authority, X-Keyboard-Layout, X-Tokenizer, X-Request-Id.
 * @example isCredentialHeader("X-Api-Key") // true; isCredentialHeader("X-Author") // false
 */
export function isCredentialHeader(name: string): boolean {
  const words = name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  // a numbered credential's number or version is not its last word: X-Api-Key-2, X-Auth-Token-v2
  while (words.length > 1 && VERSION_WORD.test(words.at(-1)!)) words.pop();
  const last = words.at(-1) ?? "";
  return (
    CREDENTIAL_WORD.test(last) ||
    (words.length > 1 && CREDENTIAL_LAST_WORD.test(last)) ||
    words.includes(SESSION_WORD)
  );
}

/** The shortest cookie value taken for a secret: `theme=dark; sid=...` holds values that are none, and would hide words. */
const MIN_COOKIE_SECRET = 8;

/**
 * What a run redacts from every message, record and point: the API key, the password of a base URL that carries
 * one (`http://user:pw@host`, as written and percent-decoded) and the Basic credentials it is sent as, and the values
 * of headers that hold credentials (`--header "api-key: ..."`, `--header "Authorization: Bearer ..."`, with the token
 * alone too; the user and password of `Authorization: Basic ...` decoded, and their password alone; each value of a
 * cookie that is long enough to be a session's), since a server may echo what it got, or what it made of it, in an
 * error body. Each is also taken without the whitespace around it, which a header loses on its way (a key pasted
 * with a trailing space comes back without it). The caller's other secrets (`secrets`: a sweep's `HF_TOKEN`, its server
 * command's) are taken as given. Without `baseUrl`, the headers alone are judged (a command's `-H` headers).
 * @example runSecrets({ apiKey: "sk-1", baseUrl: "http://h:8000", headers: { "x-api-key": "k-2" } }) // ["sk-1", "k-2"]
 */
export function runSecrets(o: {
  apiKey?: string;
  baseUrl?: string;
  headers: Readonly<Record<string, string>>;
  secrets?: readonly string[];
}): string[] {
  const secrets = new Set<string>();
  const add = (secret: string) => {
    secrets.add(secret);
    secrets.add(secret.trim());
  };
  if (o.apiKey) add(o.apiKey);
  for (const secret of o.secrets ?? []) add(secret);
  const url = o.baseUrl === undefined ? undefined : new URL(o.baseUrl);
  if (url?.password) {
    add(url.password);
    // as the user typed it (`p@ss` of `p%40ss`); percent-decoded without throwing on a `%` that starts no escape
    add(percentDecode(url.password).toString("utf8"));
  }
  // the credentials it is sent as (`Basic <token>`), which a server may echo in an error body
  const basic = url && basicAuthorization(url);
  if (basic) add(basic.slice("Basic ".length));
  for (const [name, value] of Object.entries(o.headers)) {
    if (!isCredentialHeader(name) || value.trim() === "") continue;
    add(value);
    // `Bearer <token>`, `Basic <credentials>`: the token may come back without its scheme
    const [, scheme, token] = /^\s*(\S+)\s+(\S+)\s*$/.exec(value) ?? [];
    if (token) add(token);
    if (token && scheme!.toLowerCase() === "basic") {
      // what a server that decoded them may say: `user:password`, or the password
      const decoded = Buffer.from(token, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon >= 0) {
        add(decoded);
        add(decoded.slice(colon + 1));
      }
    }
    if (/cookie/i.test(name)) {
      for (const pair of value.split(";")) {
        const cookie = pair.slice(pair.indexOf("=") + 1).trim();
        if (cookie.length >= MIN_COOKIE_SECRET) add(cookie);
      }
    }
  }
  // the longest first, so that a secret inside another never leaves the rest of the longer one behind
  return [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}
