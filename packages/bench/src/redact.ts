/**
 * Replaces every occurrence of each secret in `text` with `***`, so that API keys never reach records, logs or
 * error messages: as written, and as a server may echo it escaped, each of its characters as itself, percent-encoded
 * (`%2F`, `%2f`; a query string or a redirect's Location: `sk/1+x=` comes back as `sk%2F1%2Bx%3D`), JSON-escaped
 * (`\/`, `\u002f`) or, a space, as `+`.
 * @example redact("bad key sk-123", ["sk-123"]) // "bad key ***"
 * @example redact("location: /x?k=sk%2F1", ["sk/1"]) // "location: /x?k=***"
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  // an escaped form needs a `%`, a `\` or a `+`: a text without them is searched for the secrets as written only
  const escaped = /[%\\+]/.test(text);
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    out = out.split(secret).join("***");
    if (escaped) out = out.replace(writtenForms(secret), "***");
  }
  return out;
}

/**
 * The most characters one secret can take in a text that `redact` finds it in (each UTF-16 unit at most 9: a
 * character of 3 UTF-8 bytes percent-encoded): how far past a cut a reader must look to see a secret whole.
 * @example redactionReach(["sk-123"]) // 54
 */
export function redactionReach(secrets: readonly string[]): number {
  let n = 0;
  for (const s of secrets) n = Math.max(n, s.length * 9);
  return n;
}

/**
 * Redacts `text`, then cuts it to at most `max` characters: in that order, so that a cut never
 * leaves the start of a secret behind (cut first, `sk-se` of `sk-secret` would no longer match).
 * @example redactClipped("no sk-123 here", ["sk-123"], 6) // "no ***"
 */
export function redactClipped(text: string, secrets: readonly string[], max: number): string {
  return redact(text, secrets).slice(0, max);
}

/**
 * A string record with every secret redacted in its keys and values (`--metadata`, which a user could give the key).
 * @example redactRecord({ key: "sk-123" }, ["sk-123"]) // { key: "***" }
 */
export function redactRecord(
  record: Readonly<Record<string, string>>,
  secrets: readonly string[],
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [redact(k, secrets), redact(v, secrets)]),
  );
}

/**
 * A JSON value with every secret redacted in its strings, object keys included (a server's self-description that a
 * point keeps, which may echo what the server was sent).
 * @example redactJson({ id: "m", echoed: "Bearer sk-1" }, ["sk-1"]) // { id: "m", echoed: "Bearer ***" }
 */
export function redactJson(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return redact(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, secrets));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [redact(k, secrets), redactJson(v, secrets)]),
    );
  return value;
}

/** Compiled patterns of `writtenForms`, by secret (a run has a few secrets; a sweep's log is redacted line by line). */
const FORMS = new Map<string, RegExp>();

/** A pattern of every written form `redact` finds a secret in (global, so `replace` takes every occurrence). */
function writtenForms(secret: string): RegExp {
  let re = FORMS.get(secret);
  if (re) return re;
  let source = "";
  for (const ch of secret) {
    const forms = [escapeRegExp(ch)];
    // percent-encoded as UTF-8, in either case of hex digit
    forms.push(
      [...Buffer.from(ch, "utf8")]
        .map((b) => `%${hexPattern(b.toString(16).padStart(2, "0"))}`)
        .join(""),
    );
    // JSON: \uXXXX for every UTF-16 unit, and `\/`, `\"`, `\\`
    forms.push(
      [...Array(ch.length).keys()]
        .map((i) => `\\\\u${hexPattern(ch.charCodeAt(i).toString(16).padStart(4, "0"))}`)
        .join(""),
    );
    if (ch === "/" || ch === '"' || ch === "\\") forms.push(`\\\\${escapeRegExp(ch)}`);
    if (ch === " ") forms.push("\\+");
    source += `(?:${forms.join("|")})`;
  }
  re = new RegExp(source, "g");
  if (FORMS.size >= 256) FORMS.clear();
  FORMS.set(secret, re);
  return re;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Hex digits matched in either case: `2f` as `[2][fF]`. */
const hexPattern = (hex: string) =>
  [...hex].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join("");
