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

  it("leaves EP and DP attention out for a dense model, and TP sizes that do not divide the GPUs", () => {
    // 12 GPUs: TP 1, 2, 4 (8 does not divide 12); engines run DP attention for MoE models only
    expect(enumerateLayouts({ gpus: 12, moe: false }).map(topologyLabel)).toEqual([
      "12x(tp1)",
      "6x(tp2)",
      "3x(tp4)",
    ]);
  });

  it("offers no DP attention pool in a dense model's --disagg splits either", () => {
    const labels = enumerateLayouts({ gpus: 8, moe: false, disaggregated: true }).map(
      topologyLabel,
    );
    expect(labels.filter((l) => l.includes("dpa") || l.includes("ep"))).toEqual([]);
    // the MoE model of the same GPUs has them
    const moe = enumerateLayouts({ gpus: 8, moe: true, disaggregated: true }).map(topologyLabel);
    expect(moe).toContain("P1x(tp4/dpa) D1x(tp4/ep4/dpa)");
  });

  it("adds every prefill/decode split whose GPUs sum to at most the GPUs with --disagg", () => {
    const disagg = enumerateLayouts({ gpus: 4, moe: false, disaggregated: true })
      .filter((l) => l.disaggregated)
      .map(topologyLabel);
    // pools of TP 1 or TP 2, one shape each for a dense model: TP 1 with TP 1, p + d <= 4 workers: 6 splits;
    // TP 1 with a TP 2 pool (either side): 1 or 2 workers of TP 1 with one of TP 2: 2 x 2 = 4; TP 2 with TP 2: 1
    expect(disagg).toHaveLength(6 + 4 + 1);
    expect(disagg).toContain("P2x(tp1) D1x(tp2)");
    expect(disagg).toContain("P1x(tp2) D1x(tp2)");
    expect(disagg).not.toContain("P2x(tp2) D1x(tp2)");
  });
});
