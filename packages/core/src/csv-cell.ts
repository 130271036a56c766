/** First characters that make a spreadsheet read a text cell as a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: empty for a missing value, numbers and booleans as written, text quoted when it holds a comma,
 * quote or line break (RFC 4180). Text that a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+1`,
 * `-2+3`, `@SUM(1)`, a leading tab or carriage return: a model name or link from an imported file) is kept as text
 * the OWASP way, a `'` before it and the field quoted; a number stays a number, negative ones included.
 * @example [csvCell(-3.5), csvCell("-2+3"), csvCell('say "hi"')] // ["-3.5", "\"'-2+3\"", "\"say \"\"hi\"\"\""]
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") return String(value);
  const formula = FORMULA_START.test(value);
  if (!formula && !/[",\n\r]/.test(value)) return value;
  return `"${formula ? "'" : ""}${value.replaceAll('"', '""')}"`;
}
