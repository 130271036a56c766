import { matchesFilter } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE, decodeState } from "../state/view-state.js";
import { filterOptions, stateFilter } from "./select-points.js";

const items = [
  makeItem({ id: "old", date: "2025-01-01", concurrency: 4, intvty: 10, tput: 100 }),
  makeItem({ id: "new", date: "2025-03-01", concurrency: 4, intvty: 12, tput: 150 }),
  makeItem({
    id: "b200",
    hardware: "b200",
    date: "2025-02-01",
    concurrency: 4,
    intvty: 10,
    tput: 300,
  }),
  makeItem({
    id: "sim",
    hardware: "b200",
    source: "simulated",
    date: "2025-02-01",
    concurrency: 8,
    intvty: 9,
    tput: 310,
  }),
  makeItem({ id: "8k", isl: 8192, date: "2025-02-01", concurrency: 4, intvty: 10, tput: 50 }),
];

describe("point selection", () => {
  it("maps the state's filters onto a PointFilter", () => {
    expect(
      stateFilter({
        ...DEFAULT_STATE,
        workload: "8192/1024",
        hardware: ["h200"],
        disagg: "agg",
        asOf: "2025-02-01",
      }),
    ).toEqual({
      isl: 8192,
      osl: 1024,
      hardware: ["h200"],
      disaggregated: false,
      dateTo: "2025-02-01",
    });
  });

  it("reads the ISL/OSL choice 'all' (kept in links as workload=all) as every workload", () => {
    expect(stateFilter({ ...DEFAULT_STATE, workload: "all" })).toEqual({});
    expect(decodeState("#workload=all").workload).toBe("all");
  });

  it("filters by workload kind, and lists the kinds the points hold", () => {
    const session = makeItem({ id: "s4", date: "2025-02-01", concurrency: 4, intvty: 9, tput: 90 });
    session.point.config.workload = { kind: "session", isl: 1024, osl: 1024, turns: 4 };
    expect(filterOptions([...items, session]).kind).toEqual(["random", "session x4"]);
    expect(filterOptions(items).kind).toEqual(["random"]);
    const filter = stateFilter({ ...DEFAULT_STATE, kind: ["session"] });
    expect(filter).toEqual({ workload: ["session"] });
    expect(
      [...items, session].filter((i) => matchesFilter(i.point, filter)).map((i) => i.id),
    ).toEqual(["s4"]);
    expect(decodeState("#kind=session%20x4,random").kind).toEqual(["session x4", "random"]);
  });

  it("lists the filter choices, workloads in numeric order", () => {
    const o = filterOptions(items);
    expect(o.workload).toEqual(["1024/1024", "8192/1024"]);
    expect(o.hardware).toEqual(["b200", "h200"]);
    expect(o.dates).toEqual(["2025-01-01", "2025-02-01", "2025-03-01"]);
  });
});
