import { DEFAULT_CATALOG } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { KEY_A, makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { buildCompare } from "./compare-bars.js";
import { dashboardGroups } from "./dashboard-groups.js";
import { buildFrontierSeries } from "./frontier-series.js";
import { provenance } from "./provenance.js";
import { buildTrends } from "./trend-series.js";

// InferenceX's H200 SGLang FP8 points and your own measured ones of the same configuration
const published = [
  makeItem({ id: "ix1", concurrency: 4, intvty: 80, tput: 300 }),
  makeItem({ id: "ix2", concurrency: 64, intvty: 30, tput: 900 }),
];
const own = [
  makeItem({ id: "m1", source: "measured", concurrency: 4, intvty: 70, tput: 200 }),
  makeItem({ id: "m2", source: "measured", concurrency: 64, intvty: 25, tput: 600 }),
];

describe("dashboardGroups", () => {
  it("splits a group holding your points and imported ones into one group per source", () => {
    const groups = dashboardGroups([...published, ...own]);
    expect(groups.map((g) => [g.key, g.label, g.items.map((i) => i.id)])).toEqual([
      [`${KEY_A}|imported`, "dsr1 1024/1024 h200 sglang fp8 agg imported", ["ix1", "ix2"]],
      [`${KEY_A}|measured`, "dsr1 1024/1024 h200 sglang fp8 agg measured", ["m1", "m2"]],
    ]);
  });

  it("names InferenceX's rows InferenceX, as the subtitle does, and other imported rows imported", () => {
    const ix = (id: string, tput: number) => {
      const item = makeItem({ id, concurrency: 4, intvty: 80, tput });
      item.point.run.importedFrom = "inferencex:api";
      return item;
    };
    const groups = dashboardGroups([...own, ix("ix3", 300), published[0]!, ix("ix4", 500)]);
    expect(groups.map((g) => [g.key, g.label, g.items.map((i) => i.id)])).toEqual([
      [`${KEY_A}|InferenceX`, "dsr1 1024/1024 h200 sglang fp8 agg InferenceX", ["ix3", "ix4"]],
      [`${KEY_A}|imported`, "dsr1 1024/1024 h200 sglang fp8 agg imported", ["ix1"]],
      [`${KEY_A}|measured`, "dsr1 1024/1024 h200 sglang fp8 agg measured", ["m1", "m2"]],
    ]);
    const label = (g: (typeof groups)[number]) => g.label.split(" ").at(-1);
    expect(groups.map((g) => [label(g), provenance(g.items, "", { dates: false })])).toEqual([
      ["InferenceX", "InferenceX"],
      ["imported", "imported"],
      ["measured", "measured"],
    ]);
  });

  it("keeps a group of one source as core groups it", () => {
    expect(dashboardGroups(published).map((g) => [g.key, g.label])).toEqual([
      [KEY_A, "dsr1 1024/1024 h200 sglang fp8 agg"],
    ]);
  });

  it("each source has its own frontier, and compare reads the two apart", () => {
    const s = { ...DEFAULT_STATE, workload: "1024/1024" };
    const series = buildFrontierSeries([...published, ...own], s);
    expect(series.groups.map((g) => [g.key, g.frontier.map((p) => p.id)])).toEqual([
      [`${KEY_A}|imported`, ["ix2", "ix1"]],
      [`${KEY_A}|measured`, ["m2", "m1"]],
    ]);
    const pair = [`${KEY_A}|measured`, `${KEY_A}|imported`];
    const r = buildCompare([...published, ...own], { ...s, target: 50, pair });
    expect(r.ratio?.a.label).toBe("dsr1 1024/1024 h200 sglang fp8 agg measured");
    expect(r.ratio?.b.label).toBe("dsr1 1024/1024 h200 sglang fp8 agg imported");
    expect(r.ratio?.value).toBeLessThan(1);
  });

  it("trends draw one line per source too, under the keys and labels the legend has", () => {
    const lines = buildTrends(
      [...published, ...own],
      { ...DEFAULT_STATE, workload: "1024/1024", target: 50 },
      DEFAULT_CATALOG,
    );
    expect(lines.map((l) => [l.key, l.label, l.dates.filter((d) => d.value).length])).toEqual([
      [`${KEY_A}|imported`, "dsr1 1024/1024 h200 sglang fp8 agg imported", 1],
      [`${KEY_A}|measured`, "dsr1 1024/1024 h200 sglang fp8 agg measured", 1],
    ]);
  });
});
