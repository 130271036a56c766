import { POINT_SCHEMA_ID, stableStringify } from "@infermark/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";

describe("canonicalJson", () => {
  it("sorts keys and drops undefined members", () => {
    expect(
      canonicalJson({ b: 1, a: [true, undefined, "x"], c: undefined, d: { z: null, y: -0.5 } }),
    ).toBe('{"a":[true,null,"x"],"b":1,"d":{"y":-0.5,"z":null}}');
    expect(canonicalJson({ schema: POINT_SCHEMA_ID, n: Number.NaN })).toBe(
      '{"n":null,"schema":"infermark.point/v1"}',
    );
  });

  it("escapes strings and keys exactly as JSON.stringify", () => {
    expect(canonicalJson({ 'a"b': "line\nbreak", "\\": "\u0001\ud800", é: "ok" })).toBe(
      '{"\\\\":"\\u0001\\ud800","a\\"b":"line\\nbreak","é":"ok"}',
    );
    expect(canonicalJson([[], {}, -0, 1e21, "", { a: undefined }])).toBe('[[],{},0,1e+21,"",{}]');
  });

  it("agrees with core's stableStringify on any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(stableStringify(v));
      }),
      { numRuns: 500 },
    );
  });

  it("agrees with core's stableStringify on any string content, keys included", () => {
    const text = fc.string({ unit: "binary" });
    fc.assert(
      fc.property(fc.dictionary(text, fc.oneof(text, fc.array(text))), (v) => {
        expect(canonicalJson(v)).toBe(stableStringify(v));
      }),
      { numRuns: 300 },
    );
  });
});
