import { DEFAULT_CATALOG } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { configLabel, envelopeSeries, envelopes } from "./best-per-gpu.js";
import { dashboardGroups } from "./dashboard-groups.js";
import { groupSeries } from "./frontier-series.js";

// a second H200 configuration: trt fp4, better than sglang fp8 (GROUP_A) at 20 tok/s/user and past 30
const TRT = [
  makeItem({ id: "t1", framework: "trt", precision: "fp4", concurrency: 1, intvty: 20, tput: 900 }),
  makeItem({ id: "t2", framework: "trt", precision: "fp4", concurrency: 2, intvty: 50, tput: 100 }),
];

describe("best per GPU", () => {
  it("pools each GPU's configurations into one envelope: the Pareto frontier of all their points", () => {
    const groups = dashboardGroups([...GROUP_A, ...GROUP_B, ...TRT]);
    expect(groups).toHaveLength(3);
    const env = envelopes(groups);
    expect(env.map((e) => [e.group.key, e.group.label, e.members.length])).toEqual([
      ["best|dsr1|1024|1024|random|b200", "dsr1 1024/1024 b200", 1],
      ["best|dsr1|1024|1024|random|h200", "dsr1 1024/1024 h200", 2],
    ]);
    const series = (e: (typeof env)[number]) =>
      envelopeSeries(e, DEFAULT_STATE, (g) => groupSeries(g, DEFAULT_STATE, DEFAULT_CATALOG));
    const h200 = series(env[1]!);
    // a1 (10, 1000), t1 (20, 900) beats a2 (20, 800), a3 (30, 300), t2 (50, 100); a4 (25, 200) is beaten by a3
    expect(h200.frontier.map((p) => p.id)).toEqual(["a1", "t1", "a3", "t2"]);
    expect(h200.points).toHaveLength(6);
    expect(h200.dims).toEqual({
      model: "dsr1",
      isl: "1024",
      osl: "1024",
      workload: "random",
      hardware: "h200",
    });
    expect(env[1]!.members.map(configLabel)).toEqual(["sglang fp8 agg", "trt fp4 agg"]);
    // lower is better: cost's envelope is the cheapest configuration at each interactivity
    const cost = { ...DEFAULT_STATE, y: "costPerMillionTotal" as const };
    const cheap = envelopeSeries(env[1]!, cost, (g) => groupSeries(g, cost, DEFAULT_CATALOG));
    expect(cheap.frontier.map((p) => p.id)).toEqual(["a1", "t1", "a3", "t2"]);
  });
});
