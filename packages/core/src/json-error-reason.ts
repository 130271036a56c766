const WHITESPACE = /[ \t\n\r]*/y;
const DIGITS = /\d+/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const LITERALS = ["true", "false", "null"];

/**
 * Where `text` stops being JSON: the index of the first character no JSON text could have there, `text.length` where
 * it ends too early, -1 where it is JSON. V8's `Unexpected token 'x', "...text..." is not valid JSON` names no
 * position but quotes the text; this finds the position without it.
 * @example jsonErrorAt('{"a": x}') // 6
 */
export function jsonErrorAt(text: string): number {
  let i = 0;
  // the closing brackets of the arrays and objects the text is inside, innermost last
  const open: string[] = [];
  const skipWhitespace = () => {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(text);
    i = WHITESPACE.lastIndex;
  };
  /** Past a string at `i`; false with `i` at the fault. */
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    for (i++; i < text.length; ) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c !== 0x5c) {
        i++;
        continue;
      }
      ESCAPE.lastIndex = i;
      if (!ESCAPE.test(text)) {
        // V8 names the character after the backslash
        i++;
        return false;
      }
      i = ESCAPE.lastIndex;
    }
    return false;
  };
  /** Past a string, number or literal at `i`; false with `i` at the fault. */
  const scalar = (): boolean => {
    if (text[i] === '"') return string();
    const literal = LITERALS.find((l) => l[0] === text[i]);
    if (literal) {
      for (const c of literal) {
        if (text[i] !== c) return false;
        i++;
      }
      return true;
    }
    return number();
  };
  /** Past digits at `i`; false where there are none. */
  const digits = (): boolean => {
    DIGITS.lastIndex = i;
    if (!DIGITS.test(text)) return false;
    i = DIGITS.lastIndex;
    return true;
  };
  /** Past a number at `i` (`-0.5e3`); false with `i` at the fault (`-x`, `1.`, `1e`). */
  const number = (): boolean => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else if (!digits()) return false;
    if (text[i] === ".") {
      i++;
      if (!digits()) return false;
    }
    if (text[i] !== "e" && text[i] !== "E") return true;
    i++;
    if (text[i] === "+" || text[i] === "-") i++;
    return digits();
  };
  /** Past an object's key and its colon; false with `i` at the fault. */
  const key = (): boolean => {
    skipWhitespace();
    if (!string()) return false;
    skipWhitespace();
    if (text[i] !== ":") return false;
    i++;
    return true;
  };

  let wantValue = true;
  for (;;) {
    skipWhitespace();
    if (wantValue) {
      const c = text[i];
      if (c === "[" || c === "{") {
        i++;
        skipWhitespace();
        const close = c === "[" ? "]" : "}";
        if (text[i] === close) {
          i++;
          wantValue = false;
        } else {
          open.push(close);
          if (close === "}" && !key()) return i;
        }
        continue;
      }
      if (!scalar()) return i;
      wantValue = false;
      continue;
    }
    const close = open.at(-1);
    if (close === undefined) return i === text.length ? -1 : i;
    if (text[i] === close) {
      i++;
      open.pop();
    } else if (text[i] === ",") {
      i++;
      if (close === "}" && !key()) return i;
      wantValue = true;
    } else return i;
  }
}

/**
 * What JSON.parse found wrong in `text` and where, never quoting the text (a file may hold anything, a key among
 * it): V8's message where it names a position and quotes nothing (`Expected ',' or '}' after property value in JSON
 * at position 8`); `Unexpected token in JSON at position N` in place of one that quotes the text (`Unexpected token
 * 'x', "{"a": x}" is not valid JSON`), with the position `jsonErrorAt` finds.
 * @example jsonError(error, '{"a": x}') // { what: "Unexpected token in JSON at position 6", at: 6 }
 */
export function jsonError(error: unknown, text: string): { what: string; at: number } {
  const message = error instanceof Error ? error.message : String(error);
  const named = /\bin JSON at position (\d+)/.exec(message);
  if (named && !message.includes('"')) return { what: message, at: Number(named[1]) };
  const found = jsonErrorAt(text);
  const at = found < 0 ? text.length : found;
  if (at >= text.length && !message.includes('"')) return { what: message, at };
  return { what: `Unexpected token in JSON at position ${at}`, at };
}

/**
 * `malformed JSON (...)` for a whole file: `jsonError`'s message with the line and column of its position.
 * @example jsonErrorReason(error, '{\n"a": x}') // "malformed JSON (Unexpected token in JSON at position 7; line 2, column 6)"
 */
export function jsonErrorReason(error: unknown, text: string): string {
  const { what, at } = jsonError(error, text);
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `malformed JSON (${what}; line ${line}, column ${column})`;
}
