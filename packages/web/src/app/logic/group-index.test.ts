import { DEFAULT_CATALOG } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, KEY_A, KEY_B, makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { buildFrontierSeries, composeFrontierSeries } from "./frontier-series.js";
import { GroupIndex } from "./group-index.js";

const eightK = makeItem({ id: "k1", isl: 8192, concurrency: 1, intvty: 5, tput: 90 });
const items = [...GROUP_A, ...GROUP_B, eightK];

describe("GroupIndex", () => {
  it("keeps or drops whole groups by the dimension filters", () => {
    const index = new GroupIndex(items, DEFAULT_CATALOG);
    expect(index.all.map((g) => g.key)).toEqual([
      KEY_B,
      KEY_A,
      "dsr1|8192|1024|random|h200|sglang|fp8|none|agg",
    ]);
    const s = { ...DEFAULT_STATE, workload: "1024/1024", hardware: ["h200"] };
    expect(index.groups(s).map((g) => g.key)).toEqual([KEY_A]);
    expect(index.select(s).map((i) => i.id)).toEqual(["a1", "a2", "a3", "a4"]);
    expect(index.select({ ...DEFAULT_STATE, workload: "8192/1024" }).map((i) => i.id)).toEqual([
      "k1",
    ]);
    expect(index.byId.get("b2")).toBe(GROUP_B[1]);
  });

  it("computes a group's series once per axes and pricing, and composes what buildFrontierSeries builds", () => {
    const index = new GroupIndex(items, DEFAULT_CATALOG);
    const s = { ...DEFAULT_STATE, workload: "1024/1024" };
    const groups = index.groups(s);
    const first = index.seriesOf(groups[1]!, s);
    expect(index.seriesOf(groups[1]!, { ...s, hardware: ["h200"], hidden: [KEY_B] })).toBe(first);
    expect(index.seriesOf(groups[1]!, { ...s, y: "costPerMillionTotal" })).not.toBe(first);
    expect(first.frontier.map((p) => p.id)).toEqual(["a1", "a2", "a3"]);
    const composed = composeFrontierSeries(groups, { ...s, frontierOnly: true }, (g) =>
      index.seriesOf(g, s),
    );
    expect(composed).toEqual(
      buildFrontierSeries([...GROUP_A, ...GROUP_B], { ...s, frontierOnly: true }),
    );
  });
});
