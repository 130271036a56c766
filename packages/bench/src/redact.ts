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
