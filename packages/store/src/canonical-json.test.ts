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

  /** `value` rebuilt with every object's keys inserted in sorted order (what a withSortedKeys schema outputs). */
  const sortedCopy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortedCopy);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    // defineProperty: a "__proto__" key (JSON.parse makes such own keys) must stay a key.
    for (const key of Object.keys(value).sort())
      Object.defineProperty(out, key, {
        value: sortedCopy((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  };

  it("writes values already in key order through JSON.stringify, with the same text", () => {
    // The fast path: any JSON value, keys inserted in sorted order, also with string contents of every kind.
    const text = fc.string({ unit: "binary" });
    const anyJson = fc.oneof(fc.jsonValue(), fc.dictionary(text, fc.oneof(text, fc.array(text))));
    fc.assert(
      fc.property(anyJson, (v) => {
        const sorted = sortedCopy(v);
        expect(canonicalJson(sorted)).toBe(stableStringify(v));
        expect(canonicalJson(sorted)).toBe(canonicalJson(v));
      }),
      { numRuns: 500 },
    );
  });

  it("does not trust JSON.stringify where it would write something else", () => {
    // Integer-like keys: JSON.stringify writes them first, in numeric order ("2" before "10"); sorted text
    // order is "10" before "2".
    expect(canonicalJson({ 2: "b", 10: "a" })).toBe('{"10":"a","2":"b"}');
    expect(canonicalJson({ a: { 2: "b", 10: "a" } })).toBe('{"a":{"10":"a","2":"b"}}');
    // A function member: JSON.stringify leaves it out, the canonical writer writes null.
    expect(canonicalJson({ a: 1, b: () => 1 })).toBe('{"a":1,"b":null}');
    expect(stableStringify({ a: 1, b: () => 1, c: [Symbol("s")] })).toBe(
      '{"a":1,"b":null,"c":[null]}',
    );
    // An object with a toJSON (Date): JSON.stringify would call it; canonically it has no own keys.
    expect(canonicalJson({ a: new Date(0) })).toBe('{"a":{}}');
    // An inherited enumerable key: JSON.stringify leaves it out, and so does the canonical writer.
    const child = Object.create({ inherited: 1 }) as Record<string, unknown>;
    child.own = 2;
    expect(canonicalJson({ a: child })).toBe('{"a":{"own":2}}');
    // A key inherited from a polluted Object.prototype: for...in would list it on every plain object.
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 1;
    try {
      expect(canonicalJson({ a: { b: 1 }, c: [{ d: 2 }] })).toBe('{"a":{"b":1},"c":[{"d":2}]}');
    } finally {
      delete proto.polluted;
    }
    for (const v of [{ 2: "b", 10: "a" }, { a: new Date(0) }])
      expect(canonicalJson(v)).toBe(stableStringify(v));
  });
});
