import { describe, expect, it } from "vitest";
import { PointQuery, parsePointQuery } from "./query-params.js";

const known = Object.keys(PointQuery.shape).join(", ");

describe("parsePointQuery", () => {
  it("refuses parameters named like Object's members as unknown, not as given twice", () => {
    for (const key of ["toString", "__proto__", "constructor", "valueOf", "hasOwnProperty"])
      expect(parsePointQuery(new URLSearchParams(`${key}=1`))).toEqual({
        ok: false,
        message: `unknown query parameter "${key}"; known: ${known}`,
      });
  });

  it("joins repeated list parameters and refuses a repeated scalar", () => {
    expect(parsePointQuery(new URLSearchParams("model=a&model=b,c&fields=slim"))).toEqual({
      ok: true,
      value: { filter: { model: ["a", "b", "c"] }, fields: "slim" },
    });
    expect(parsePointQuery(new URLSearchParams("isl=1&isl=2"))).toEqual({
      ok: false,
      message: 'query parameter "isl" given twice',
    });
  });
});
