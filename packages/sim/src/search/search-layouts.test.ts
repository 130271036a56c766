import { getGpu, getModel } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { SimSpecMethodError } from "../errors.js";
import { steadyState } from "../perf/steady-state.js";
import { throughputAtInteractivity } from "../validate/frontier-at.js";
import { predictedCurve } from "../validate/validate.js";
import { searchLayouts } from "./search-layouts.js";

/** An H200 whose scale-up domain is 4 GPUs, so TP 8 spans two. */
const H200_DOMAIN_4 = { ...getGpu("h200"), key: "h200-d4", scaleUpDomain: 4 };
/** gpt-oss-120b with 2 routed experts, so EP 4 would hold half of one. */
const TWO_EXPERTS = (() => {
  const m = getModel("gptoss120b");
  return { ...m, key: "gptoss-2x", moe: { ...m.moe!, routedExperts: 2 } };
})();

describe("searchLayouts", () => {
  it("skips, with the reason, layouts the simulator refuses, and predicts a TP wider than the scale-up domain", () => {
    const r = searchLayouts({
      sim: { model: TWO_EXPERTS, hardware: H200_DOMAIN_4 },
      gpus: 8,
      isl: 1024,
      osl: 1024,
      targets: [50],
    });
    // TP 1 (1 shape), 2, 4 and 8 (EP 1/TP, DP attention off/on: 4 shapes each)
    expect(r.tried).toBe(13);
    const skipped = r.skipped.map((s) => [s.label, s.group]);
    const overExperts = (ep: number) =>
      `aggregated: ep ${ep} exceeds the 2 routed experts of gptoss-2x: each expert-parallel rank holds whole experts (give ep 2 or fewer)`;
    expect(skipped).toEqual([
      ...["2x(tp4/ep4)", "2x(tp4/ep4/dpa)"].map((label) => [label, overExperts(4)]),
      ...["1x(tp8/ep8)", "1x(tp8/ep8/dpa)"].map((label) => [label, overExperts(8)]),
    ]);
    expect(r.predicted).toBe(13 - 4);
  });

  it("predicts TP 16 across two H100 nodes, the only layout of 16 H100s that holds DeepSeek-R1 at FP8", () => {
    const r = searchLayouts({
      sim: { model: "dsr1", hardware: "h100" },
      gpus: 16,
      isl: 1024,
      osl: 1024,
      targets: [20],
    });
    const best = r.targets[0]!.best;
    expect(best.length).toBeGreaterThan(0);
    expect(new Set(best.map((b) => b.layout.tp))).toEqual(new Set([16]));
  });

  it("counts a layout whose weights do not fit as skipped: DeepSeek-R1 at FP8 on fewer than 8 H200s", () => {
    const r = searchLayouts({
      sim: { model: "dsr1", hardware: "h200" },
      gpus: 8,
      isl: 1024,
      osl: 1024,
      targets: [50],
    });
    expect(r.predicted).toBe(4);
    expect(r.skipped.map((s) => s.label)).toEqual([
      "8x(tp1)",
      ...["4x(tp2)", "4x(tp2/dpa)", "4x(tp2/ep2)", "4x(tp2/ep2/dpa)"],
      ...["2x(tp4)", "2x(tp4/dpa)", "2x(tp4/ep4)", "2x(tp4/ep4/dpa)"],
    ]);
    expect(new Set(r.skipped.map((s) => s.group))).toEqual(
      new Set(["weights + KV cache of one request do not fit in GPU memory"]),
    );
  });

  it("ranks by the value `sim validate`'s frontier gives the layout at the target, the same number", () => {
    const targets = [20, 50];
    const r = searchLayouts({
      sim: { model: "dsr1", hardware: "h200" },
      gpus: 8,
      isl: 1024,
      osl: 1024,
      targets,
      mtpDraftTokens: [0, 2],
    });
    expect(r.tried).toBe(26);
    const best = r.targets[1]!.best[0]!;
    expect([best.label, best.mtpDraftTokens]).toEqual(["1x(tp8/dpa)", 2]);
    // the validation's way: the steady state over its ladder, the frontier at the target
    const cfg = resolveSimConfig({
      model: "dsr1",
      hardware: "h200",
      ...best.layout,
      spec: { method: "mtp", draftTokens: 2 },
    });
    const curve = predictedCurve(
      (c) => {
        const s = steadyState(cfg, 1024, 1024, c);
        return { intvty: s.intvty, tputPerGpu: s.tputPerGpu };
      },
      cfg.gpus,
      20,
    );
    expect(best.tputPerGpu).toBe(throughputAtInteractivity(curve, 50).tputPerGpu);
    // the ranking is by that value, best first
    const values = r.targets[1]!.best.map((b) => b.tputPerGpu);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it("ranks nothing at a target no layout reaches: nothing is extrapolated", () => {
    const r = searchLayouts({
      sim: { model: "dsr1", hardware: "h200" },
      gpus: 8,
      isl: 1024,
      osl: 1024,
      targets: [5000],
    });
    expect(r.targets).toEqual([{ intvty: 5000, reached: 0, best: [] }]);
  });

  it("tries no DP attention layout for a dense model (Llama-3.3-70B), and both for a MoE one (gpt-oss-120b)", () => {
    const search = (model: string) =>
      searchLayouts({
        sim: { model, hardware: "h200" },
        gpus: 8,
        isl: 1024,
        osl: 1024,
        targets: [50],
      });
    const dense = search("llama70b");
    // TP 1, 2, 4 and 8, one shape each: engines run DP attention for MoE models only
    expect([dense.tried, dense.predicted, dense.skipped.length]).toEqual([4, 4, 0]);
    // one TP 1 worker per GPU is slower than 50 tokens/s/user at batch 1; TP4 ahead of TP2, TP8 last
    expect(dense.targets[0]!.best.map((b) => b.label)).toEqual(["2x(tp4)", "4x(tp2)", "1x(tp8)"]);
    const moe = search("gptoss120b");
    // TP 1 (1 shape), 2, 4 and 8 (EP 1/TP, DP attention off/on: 4 shapes each)
    expect(moe.tried).toBe(13);
    expect(moe.targets[0]!.best.some((b) => b.layout.dpAttention)).toBe(true);
  });

  it("throws MTP asked of a model without MTP layers, which no layout can change", () => {
    expect(() =>
      searchLayouts({
        sim: { model: "llama70b", hardware: "h200" },
        gpus: 8,
        isl: 1024,
        osl: 1024,
        targets: [50],
        mtpDraftTokens: [0, 1],
      }),
    ).toThrow(SimSpecMethodError);
  });
});
