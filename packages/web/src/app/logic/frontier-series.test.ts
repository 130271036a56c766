import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, KEY_A, KEY_B } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { buildFrontierSeries } from "./frontier-series.js";

const items = [...GROUP_A, ...GROUP_B];

describe("buildFrontierSeries", () => {
  it("groups points and draws each group's Pareto frontier (throughput vs interactivity)", () => {
    const s = buildFrontierSeries(items, { ...DEFAULT_STATE });
    expect(s.groups.map((g) => g.key)).toEqual([KEY_B, KEY_A]);
    const a = s.groups[1]!;
    expect(a.label).toBe("dsr1 1024/1024 h200 sglang fp8 agg");
    expect(a.points.map((p) => p.id)).toEqual(["a1", "a2", "a3", "a4"]);
    expect(a.frontier).toEqual([
      { x: 10, y: 1000, id: "a1" },
      { x: 20, y: 800, id: "a2" },
      { x: 30, y: 300, id: "a3" },
    ]);
    expect(s.groups[0]!.frontier.map((p) => p.id)).toEqual(["b1", "b2"]);
    expect(s.plotted).toBe(6);
  });

  it("hides points off the frontier on request", () => {
    const s = buildFrontierSeries(items, { ...DEFAULT_STATE, frontierOnly: true });
    expect(s.groups[1]!.points.map((p) => p.id)).toEqual(["a1", "a2", "a3"]);
    // a1-a3 and b1-b2 are drawn, of the 6 points with both values
    expect([s.drawn, s.plotted]).toEqual([5, 6]);
  });

  it("uses the cost metric's direction (lower is better) and the custom price", () => {
    // $3.6/GPU-h: cost per million = 3.6e6 / (tput * 3600) = 1000 / tput
    const s = buildFrontierSeries(GROUP_A, {
      ...DEFAULT_STATE,
      y: "costPerMillionTotal",
      tier: "custom",
      price: 3.6,
    });
    const g = s.groups[0]!;
    expect(g.points.map((p) => p.y)).toEqual([1, 1.25, 1000 / 300, 5]);
    expect(g.frontier.map((p) => p.id)).toEqual(["a1", "a2", "a3"]);
  });

  it("switches x to E2EL (lower is better) and keeps hidden groups listed but not counted", () => {
    const s = buildFrontierSeries(items, { ...DEFAULT_STATE, x: "e2el", hidden: [KEY_B] });
    expect(s.groups[0]!.hidden).toBe(true);
    expect([s.plotted, s.drawn]).toEqual([4, 4]);
    // e2el = 1000 / intvty: a1 100 s at 1000 tok/s/GPU is the throughput end; a3 33.3 s the latency end
    expect(s.groups[1]!.frontier.map((p) => p.id)).toEqual(["a3", "a2", "a1"]);
  });

  it("counts points that lack a value on the y axis", () => {
    const s = buildFrontierSeries(GROUP_A, { ...DEFAULT_STATE, y: "jPerToken" });
    expect(s.groups[0]!.points).toEqual([]);
    expect(s.skipped).toBe(4);
  });
});
