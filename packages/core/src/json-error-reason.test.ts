import { describe, expect, it } from "vitest";
import { jsonErrorAt, jsonErrorReason } from "./json-error-reason.js";

/** JSON.parse's error for a text that is not JSON. */
function parseError(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error(`${text} is JSON`);
}

describe("jsonErrorAt", () => {
  it("finds where a text stops being JSON, as V8 does where V8 names it", () => {
    const cases: [string, number][] = [
      ['{"a": x}', 6],
      ["nul x", 3],
      ["[1,]", 3],
      ['{"a": 1 "b": 2}', 8],
      ["{a: 1}", 1],
      ['{"a" 1}', 5],
      ['{"a": "b\\q"}', 9],
      ['"abc', 4],
      ["[1, [2, {}], 3] x", 16],
      ["", 0],
      ['{"a": [1, 2', 11],
      ["tru", 3],
      ["-x", 1],
      ["1.", 2],
      ["[1e+]", 4],
      ["01", 1],
      ["\u00e9", 0],
    ];
    expect(cases.map(([text]) => [text, jsonErrorAt(text)])).toEqual(cases);
    for (const [text, at] of cases) {
      const named = /at position (\d+)/.exec((parseError(text) as Error).message);
      if (named) expect([text, Number(named[1])]).toEqual([text, at]);
    }
  });

  it("is -1 for JSON", () => {
    const json = [
      ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}} ',
      "[]",
      "0",
      '""',
    ];
    expect(json.map(jsonErrorAt)).toEqual([-1, -1, -1, -1]);
  });
});

describe("jsonErrorReason", () => {
  it("gives V8's message with the line and column where it names a position", () => {
    const text = '{\n  "a": 1\n  "b": 2\n}';
    expect(jsonErrorReason(parseError(text), text)).toBe(
      "malformed JSON (Expected ',' or '}' after property value in JSON at position 13; line 3, column 3)",
    );
    expect(jsonErrorReason(parseError('{"a": '), '{"a": ')).toBe(
      "malformed JSON (Unexpected end of JSON input; line 1, column 7)",
    );
  });

  it("never quotes the text, where V8's message would", () => {
    // V8: `Unexpected token 's', "{\n"key": sk-live-1234"... is not valid JSON`
    const text = '{\n"key": sk-live-1234567890abcdef}';
    expect((parseError(text) as Error).message).toContain("sk-live");
    expect(jsonErrorReason(parseError(text), text)).toBe(
      "malformed JSON (Unexpected token in JSON at position 9; line 2, column 8)",
    );
    expect(jsonErrorReason(parseError("hunter22"), "hunter22")).toBe(
      "malformed JSON (Unexpected token in JSON at position 0; line 1, column 1)",
    );
  });
});
