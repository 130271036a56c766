/**
 * Replaces every occurrence of each secret in `text` with `***`, so that API keys never reach
 * records, logs or error messages.
 * @example redact("bad key sk-123", ["sk-123"]) // "bad key ***"
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join("***");
  }
  return out;
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
