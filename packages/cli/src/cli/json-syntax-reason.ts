import { jsonErrorAt } from "@infermark/core";

/** V8's own words for what it expected (`Expected ',' or '}' after property value`): syntax, none of the text. */
const SYNTAX_WORDS = /^[A-Za-z ',:{}[\]-]+$/;

/**
 * Why `text` is not JSON and where, in words that repeat none of it: V8's messages quote the text itself
 * (`Unexpected token 's', "{"api_key": sk-..." is not valid JSON`), and a flag's value may be a credential.
 * Undefined when the text is JSON.
 * @example jsonSyntaxReason('{"api_key": "sk-1') // "unterminated string at its end"
 */
export function jsonSyntaxReason(text: string): string | undefined {
  const message = parseError(text);
  if (message === undefined) return undefined;
  const place = (i: number) =>
    i >= text.length ? "at its end" : `at character ${i + 1} of ${text.length}`;
  if (/^Unexpected end of JSON input/.test(message))
    return text.trim() === "" ? "it is empty" : "it ends before the JSON does";
  const at = /(?: in JSON)? at position (\d+)/.exec(message);
  const what = at ? message.slice(0, at.index) : "";
  // older engines name the unexpected token, which is a character of the text
  if (at && SYNTAX_WORDS.test(what) && !/^Unexpected token/.test(what))
    return `${what[0]!.toLowerCase()}${what.slice(1)} ${place(Number(at[1]))}`;
  // V8's "Unexpected token" says no position: found by reading the text as JSON does
  const bad = at ? Number(at[1]) : jsonErrorAt(text);
  return bad < 0 ? "it is not valid JSON" : `unexpected character ${place(bad)}`;
}

/** JSON.parse's message for `text`, or undefined when it parses. */
function parseError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
