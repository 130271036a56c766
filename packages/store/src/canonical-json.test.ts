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

  it("agrees with core's stableStringify on any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(stableStringify(v));
      }),
      { numRuns: 500 },
    );
  });
});
