/** Strings JSON.stringify would escape: quotes, backslashes, control characters, (lone) surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `"key":` of each object key seen, so hot keys are quoted once per process (bounded). */
const keyPrefixes = new Map<string, string>();
const MAX_CACHED_KEYS = 10_000;

function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `${JSON.stringify(key)}:`;
    if (keyPrefixes.size < MAX_CACHED_KEYS) keyPrefixes.set(key, prefix);
  }
  return prefix;
}

/**
 * The canonical JSON of a value: object keys sorted, undefined members left out. Produces exactly what
 * core's `stableStringify` produces (so content hashes agree), about twice as fast as a generic sorted
 * writer: it is on the ingest hot path, once per point. Keys already in order (common: zod writes them in
 * schema order, and many schemas list them alphabetically) are not sorted again, quoted keys are cached,
 * and plain strings skip JSON.stringify. `onMember`, when given, receives the canonical JSON of each member of a
 * top-level object as it is written (the same text, at no extra cost: the store keys its run and
 * configuration memo on it).
 * @example canonicalJson({ b: 1, a: [true, undefined] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(
  value: unknown,
  onMember?: (key: string, json: string) => void,
): string {
  if (value === undefined || value === null) return "null";
  switch (typeof value) {
    case "string":
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    let out = `[${canonicalJson(value[0])}`;
    for (let i = 1; i < value.length; i++) out += `,${canonicalJson(value[i])}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++)
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  let out = "{";
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    const json = canonicalJson(v);
    onMember?.(key, json);
    out += `${out.length === 1 ? "" : ","}${keyPrefix(key)}${json}`;
  }
  return `${out}}`;
}
