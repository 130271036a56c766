import { describe, expect, it } from "vitest";
import { jsonSyntaxReason } from "./json-syntax-reason.js";

describe("jsonSyntaxReason", () => {
  it("says where and why text is not JSON, with none of the text", () => {
    const cases: [string, string | undefined][] = [
      ['{"a": 1}', undefined],
      ["", "it is empty"],
      ['{"key": "sk-1', "unterminated string at its end"],
      ['{"a": 1', "expected ',' or '}' after property value at its end"],
      // V8: Unexpected token 's', "{"key": sk-1}" is not valid JSON
      ['{"key": sk-1}', "unexpected character at character 9 of 13"],
      ['{"a": tru}', "unexpected character at character 10 of 10"],
      ["{key: 1}", "expected property name or '}' at character 2 of 8"],
      ['{"a": 1} x', "unexpected non-whitespace character after JSON at character 10 of 10"],
    ];
    expect(cases.map(([text]) => jsonSyntaxReason(text))).toEqual(cases.map(([, r]) => r));
  });
});
