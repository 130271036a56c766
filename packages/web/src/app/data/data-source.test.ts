import { describe, expect, it } from "vitest";
import { makeItem } from "../../../test/helpers/make-point.js";
import type { Item } from "../logic/types.js";
import { reportSource, scopeQuery } from "./data-source.js";

const invalid = (item: Item): Item => ({
  ...item,
  point: { ...item.point, validity: { valid: false, reasons: ["ignored max_tokens"] } },
});

describe("a scope's valid points only (the CLI's --valid-only)", () => {
  // one configuration at concurrency 1: a valid run, then a newer invalid one; at concurrency 2 an invalid one only
  const points = [
    makeItem({ id: "old", date: "2026-01-01", concurrency: 1, intvty: 10, tput: 500 }),
    invalid(makeItem({ id: "new", date: "2026-02-01", concurrency: 1, intvty: 10, tput: 900 })),
    invalid(makeItem({ id: "c2", date: "2026-02-01", concurrency: 2, intvty: 20, tput: 800 })),
  ];
  const report = reportSource({ title: "t", generatedAt: "2026-02-02", points });
  const ids = async (validOnly: boolean, latest = true) =>
    (await report.points({ source: [], asOf: "", latest, validOnly })).map((i) => i.id).sort();

  it("takes the latest point among the valid ones, as the store does", async () => {
    expect(await ids(false)).toEqual(["c2", "new"]);
    expect(await ids(true)).toEqual(["old"]);
    expect(await ids(true, false)).toEqual(["old"]);
    expect(await ids(false, false)).toEqual(["c2", "new", "old"]);
  });

  it("asks the API for valid points only when on", () => {
    const scope = { source: [], asOf: "", latest: true };
    expect(scopeQuery({ ...scope, validOnly: false })).toBe("fields=columns&latest=true");
    expect(scopeQuery({ ...scope, validOnly: true })).toBe(
      "fields=columns&latest=true&validOnly=true",
    );
  });
});
