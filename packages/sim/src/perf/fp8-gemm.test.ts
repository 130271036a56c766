import { getGpu, getModel } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { FP8_FALLBACK_GEMM_SHARE, fp8GemmApplies } from "../config/defaults.js";
import type { SimOptions } from "../config/options.js";
import { resolveSimConfig } from "../config/resolve.js";
import { predictSweep } from "../predict.js";
import { prefillCapacity, steadyState } from "./steady-state.js";
import { stepCosts } from "./step-time.js";
import { workerModel } from "./worker-model.js";

/** DeepSeek-R1 FP8 on B200 under Dynamo + SGLang, DEP8 prefill and decode, as srt-slurm's b200-fp8 max-tpt recipes. */
const DEP8: SimOptions = {
  model: "dsr1",
  hardware: "b200",
  precision: "fp8",
  framework: "dynamo-sglang",
  disaggregated: true,
  prefill: { tp: 8, ep: 8, dpAttention: true },
  decode: { tp: 8, ep: 8, dpAttention: true },
};

/** The same model on one aggregated TP8 SGLang server, as InferenceX's dsr1_fp8_b200.sh. */
const TP8: SimOptions = {
  model: "dsr1",
  hardware: "b200",
  precision: "fp8",
  framework: "sglang",
  tp: 8,
};

/** Input tokens a second one GPU of the prefill pool prefills, saturated, at 8k prompts. */
function prefillPerGpu(o: SimOptions): number {
  const cfg = resolveSimConfig(o);
  return (prefillCapacity(cfg, 8192).requestsPerS * 8192) / 8;
}

describe("SGLang's FP8 GEMMs without DeepGEMM (fp8Gemm)", () => {
  it("prefills DeepSeek-R1 FP8 on B200 at the measured 2.5-3.5k tokens/s per GPU with the fallback, and as before with DeepGEMM", () => {
    const deepgemm = prefillPerGpu({ ...DEP8, fp8Gemm: "deepgemm" });
    // DeepGEMM is the default and changes nothing: the rate the simulator gave before the option
    expect(deepgemm).toBe(prefillPerGpu(DEP8));
    expect(Math.round(deepgemm)).toBe(10463);
    const fallback = prefillPerGpu({ ...DEP8, fp8Gemm: "fallback" });
    expect(fallback).toBeGreaterThan(2500);
    expect(fallback).toBeLessThan(3500);
    const aggregated = prefillPerGpu({ ...TP8, fp8Gemm: "fallback" });
    expect(aggregated).toBeGreaterThan(2500);
    expect(aggregated).toBeLessThan(3500);
  });

  it("runs every linear-layer and expert GEMM, prefill and decode, at the fallback share; the BF16 head and attention as before", () => {
    const fast = workerModel(resolveSimConfig(TP8), resolveSimConfig(TP8).pools[0]!);
    const cfg = resolveSimConfig({ ...TP8, fp8Gemm: "fallback" });
    const slow = workerModel(cfg, cfg.pools[0]!);
    expect(slow.flopsOther / fast.flopsOther).toBeCloseTo(FP8_FALLBACK_GEMM_SHARE, 12);
    expect(slow.flopsExpert / fast.flopsExpert).toBeCloseTo(FP8_FALLBACK_GEMM_SHARE, 12);
    expect([slow.flopsHead, slow.flopsAttention, slow.memBw]).toEqual([
      fast.flopsHead,
      fast.flopsAttention,
      fast.memBw,
    ]);
    // a decode step of 512 requests: its GEMMs, the BF16 head aside, take 1 / share times as long
    const decode = {
      decodeRequests: 512,
      decodeContext: 512 * 1500,
      prefillTokens: 0,
      prefillPairs: 0,
    };
    const gemmFast = stepCosts(fast, decode).linear;
    const gemmSlow = stepCosts(slow, decode).linear;
    const head = (512 * fast.flopsHeadPerToken) / fast.flopsHead;
    expect((gemmSlow - head) / (gemmFast - head)).toBeCloseTo(1 / FP8_FALLBACK_GEMM_SHARE, 9);
  });

  it("gives the event engine the same prefill as the steady state", () => {
    const options = { ...TP8, fp8Gemm: "fallback" };
    const cfg = resolveSimConfig(options);
    const steady = steadyState(cfg, 8192, 2, 1).ttftS;
    const run = predictSweep(options, {
      isl: 8192,
      osl: 2,
      concurrency: [1],
      requests: 2,
      date: "2026-11-29",
    });
    const ttft = (run.points[0]!.metrics as { ttft: { median: number } }).ttft.median;
    expect(ttft / steady).toBeCloseTo(1, 2);
    // twice DeepGEMM's: the GEMMs are most of an 8k prefill on one TP8 server
    expect(steady / steadyState(resolveSimConfig(TP8), 8192, 2, 1).ttftS).toBeCloseTo(1.98, 2);
  });

  it("refuses the fallback in one line where SGLang's block-scaled FP8 GEMMs do not run, and an unknown kernel", () => {
    const refusal = (got: string) =>
      `FP8 GEMM kernel "fallback" (--fp8-gemm) runs SGLang's block-scaled FP8 GEMMs without DeepGEMM: it needs --precision fp8, a model with MLA attention or MoE experts and a --framework naming sglang; got ${got}`;
    expect(() => resolveSimConfig({ ...TP8, framework: "vllm", fp8Gemm: "fallback" })).toThrow(
      refusal("fp8, dsr1, vllm"),
    );
    expect(() => resolveSimConfig({ ...TP8, precision: "fp4", fp8Gemm: "fallback" })).toThrow(
      refusal("fp4, dsr1, sglang"),
    );
    // Llama's FP8 checkpoint is per-tensor scaled: no block-scaled GEMM to fall back from
    expect(() => resolveSimConfig({ ...TP8, model: "llama70b", fp8Gemm: "fallback" })).toThrow(
      refusal("fp8, llama70b, sglang"),
    );
    expect(() => resolveSimConfig({ ...TP8, fp8Gemm: "cutlass" })).toThrow(
      'unknown FP8 GEMM kernel "cutlass"; known: deepgemm, fallback',
    );
    // DeepGEMM is what the model assumes everywhere: naming it is never refused
    expect(resolveSimConfig({ ...TP8, framework: "vllm", fp8Gemm: "deepgemm" }).fp8Gemm).toBe(
      "deepgemm",
    );
    expect(fp8GemmApplies(getModel("dsr1"), "fp8", "mori-sglang", getGpu("b200"))).toBe(true);
  });

  it("applies on Blackwell alone, where the share was fitted, and refuses Hopper and AMD GPUs in one line", () => {
    const offBlackwell = (gpu: string, why: string) =>
      `FP8 GEMM kernel "fallback" (--fp8-gemm) needs a Blackwell GPU (B200, B300, GB200, GB300), where its share was fitted (B200); got ${gpu}, ${why}`;
    // SGLang on AMD runs aiter's block-FP8 kernels: there is no DeepGEMM to turn off
    for (const hardware of ["mi300x", "mi325x", "mi355x"])
      expect(() => resolveSimConfig({ ...TP8, hardware, fp8Gemm: "fallback" })).toThrow(
        offBlackwell(hardware, "an AMD GPU, where SGLang runs aiter's kernels and no DeepGEMM"),
      );
    // Hopper runs DeepGEMM, but its fallback is CUTLASS or Triton, which no row measures
    for (const hardware of ["h100", "h200"])
      expect(() => resolveSimConfig({ ...TP8, hardware, fp8Gemm: "fallback" })).toThrow(
        offBlackwell(hardware, "whose fallback kernels (CUTLASS or Triton) no measured row fits"),
      );
    for (const hardware of ["b200", "b300", "gb200", "gb300"])
      expect(resolveSimConfig({ ...TP8, hardware, fp8Gemm: "fallback" }).fp8Gemm).toBe("fallback");
    const dsr1 = getModel("dsr1");
    expect(fp8GemmApplies(dsr1, "fp8", "sglang", getGpu("mi355x"))).toBe(false);
    expect(fp8GemmApplies(dsr1, "fp8", "sglang", getGpu("h200"))).toBe(false);
    expect(fp8GemmApplies(dsr1, "fp8", "sglang", getGpu("gb300"))).toBe(true);
    // DeepGEMM, the model's assumption, stays accepted off Blackwell
    expect(resolveSimConfig({ ...TP8, hardware: "mi355x", fp8Gemm: "deepgemm" }).fp8Gemm).toBe(
      "deepgemm",
    );
  });
});
