import { describe, expect, it } from "vitest";
import { topologyLabel } from "../validate/read-rows.js";
import { enumerateLayouts } from "./enumerate-layouts.js";

describe("enumerateLayouts", () => {
  it("gives every aggregated layout of 2 GPUs for a MoE model: TP 1 once, TP 2 with EP 1/2 and DP attention off/on", () => {
    expect(enumerateLayouts({ gpus: 2, moe: true }).map(topologyLabel)).toEqual([
      "2x(tp1)",
      "1x(tp2)",
      "1x(tp2/dpa)",
      "1x(tp2/ep2)",
      "1x(tp2/ep2/dpa)",
    ]);
  });

  it("leaves EP out for a dense model and TP sizes that do not divide the GPUs", () => {
    // 12 GPUs: TP 1, 2, 4 (8 does not divide 12)
    expect(enumerateLayouts({ gpus: 12, moe: false }).map(topologyLabel)).toEqual([
      "12x(tp1)",
      "6x(tp2)",
      "6x(tp2/dpa)",
      "3x(tp4)",
      "3x(tp4/dpa)",
    ]);
  });

  it("adds every prefill/decode split whose GPUs sum to at most the GPUs with --disagg", () => {
    const disagg = enumerateLayouts({ gpus: 4, moe: false, disaggregated: true })
      .filter((l) => l.disaggregated)
      .map(topologyLabel);
    // pools of TP 1 (1 shape) or TP 2 (2 shapes): 1x1 pools p + d <= 4: 6 splits; TP1 with a TP2 pool
    // (either side, 2 shapes): 1+1 workers and 2+1 workers of TP 1: 2 x 2 x 2 = 8; TP 2 with TP 2: 4
    expect(disagg).toHaveLength(6 + 8 + 4);
    expect(disagg).toContain("P2x(tp1) D1x(tp2/dpa)");
    expect(disagg).toContain("P1x(tp2) D1x(tp2/dpa)");
    expect(disagg).not.toContain("P2x(tp2) D1x(tp2)");
  });
});
