/** A 400's message and the field it names (`param`, null where vLLM names none). */
export interface FieldError {
  message: string;
  param: string | null;
}

/**
 * A number as Python prints a float (`str(3.0)`): `3.0`, `2.5`, `1e-05`, `1e+16`. vLLM's messages show a float
 * field's value this way, an integer JSON value included (`temperature: 3` reads `got 3.0`).
 * @example pyFloat(3) // "3.0"
 */
export function pyFloat(value: number): string {
  if (Object.is(value, -0)) return "-0.0";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [digits, exponent] = value.toExponential().split("e") as [string, string];
    const e = Number(exponent);
    return `${digits}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** A string as Python's `repr` writes it: single quotes, unless it holds one and no double quote. */
function pyString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}

/**
 * A list of integers or strings as Python's `repr` writes it, which vLLM's messages quote: `[129280, -1]`,
 * `['abc']`.
 * @example pyList([129280, -1]) // "[129280, -1]"
 */
export function pyList(items: readonly (number | bigint | string)[]): string {
  return `[${items.map((x) => (typeof x === "string" ? pyString(x) : String(x))).join(", ")}]`;
}

/**
 * A refusal in the words of vLLM's `VLLMValidationError`, whose text ends with the parameter and value it names
 * (`(parameter=temperature, value=3.0)`) and whose `param` is that parameter; null without one.
 * @example vllmValidation("temperature must be in [0, 2], got 3.0.", "temperature", "3.0").message // "temperature must be in [0, 2], got 3.0. (parameter=temperature, value=3.0)"
 */
export function vllmValidation(message: string, parameter?: string, value?: string): FieldError {
  const extras = [
    ...(parameter === undefined ? [] : [`parameter=${parameter}`]),
    ...(value === undefined ? [] : [`value=${value}`]),
  ];
  return {
    message: extras.length > 0 ? `${message} (${extras.join(", ")})` : message,
    param: parameter ?? null,
  };
}

// what pydantic's lax mode reads as a boolean (a string in any case)
const PY_TRUE = new Set<unknown>([true, 1, "1", "true", "t", "yes", "y", "on"]);
const PY_FALSE = new Set<unknown>([false, 0, "0", "false", "f", "no", "n", "off"]);

/**
 * A value as vLLM's pydantic `bool` field reads it: `1`, `"yes"` and `"true"` are true, `0` and `"off"` false;
 * undefined for a value it refuses.
 * @example pyBool(1) // true
 */
export function pyBool(value: unknown): boolean | undefined {
  const v = typeof value === "string" ? value.toLowerCase() : value;
  if (PY_TRUE.has(v)) return true;
  return PY_FALSE.has(v) ? false : undefined;
}

// the text pydantic's lax mode reads as an int (once stripped of whitespace): a sign, digits with single underscores
// between them, and a fraction of zeros alone ("16.0"); "16.5", "1e3", "0x10" and "" are refused
const PY_INT_TEXT = /^[+-]?\d(?:_?\d)*(?:\.0+)?$/;

/**
 * A value as vLLM's pydantic `int` field reads it in lax mode (vLLM's request models are not strict): `true` is 1,
 * `false` 0, and an integer string its integer (`"16"`, `" +16 "`, `"1_000"`, `"16.0"`); any other value is
 * returned as given, for the field's own checks.
 * @example pyInt("16") // 16
 */
export function pyInt(value: unknown): unknown {
  if (typeof value === "boolean") return Number(value);
  if (typeof value !== "string") return value;
  const text = value.trim();
  return PY_INT_TEXT.test(text) ? Number(text.replace(/_/g, "").replace(/\.0+$/, "")) : value;
}
