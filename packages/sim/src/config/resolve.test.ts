import { getModel } from "@infermark/core";
import { describe, expect, it } from "vitest";
import {
  DoesNotFitError,
  SimConfigError,
  SimSpecMethodError,
  SimUnknownKeyError,
} from "../errors.js";
import { assertFits } from "../perf/fit-check.js";
import { resolveSimConfig } from "./resolve.js";

describe("resolveSimConfig", () => {
  it("lists the known keys for an unknown option", () => {
    expect(() => resolveSimConfig({ model: "dsr1", hardware: "h200", tq: 8 } as never)).toThrow(
      SimUnknownKeyError,
    );
    expect(() => resolveSimConfig({ model: "dsr1", hardware: "h200", tq: 8 } as never)).toThrow(
      /known: model, hardware/,
    );
    expect(() =>
      resolveSimConfig({ model: "dsr1", hardware: "h200", efficiency: { mem: 1 } as never }),
    ).toThrow(/unknown efficiency factor "mem"; known: compute, memory/);
  });

  it("refuses efficiency factors that are not numbers, or shares of a peak outside (0, 1]", () => {
    const base = { model: "dsr1", hardware: "h200", tp: 8 } as const;
    expect(() =>
      resolveSimConfig({ ...base, calibration: { "h200/sim": { memory: "fast" as never } } }),
    ).toThrow(
      'calibration h200/sim: efficiency factor memory must be a share of the peak in (0, 1], got "fast"',
    );
    expect(() => resolveSimConfig({ ...base, efficiency: { compute: 1.4 } })).toThrow(
      "efficiency: efficiency factor compute must be a share of the peak in (0, 1], got 1.4",
    );
    expect(() => resolveSimConfig({ ...base, efficiency: { stepOverheadUs: -5 } })).toThrow(
      "efficiency factor stepOverheadUs must be a number >= 0, got -5",
    );
    expect(() =>
      resolveSimConfig({ ...base, calibration: { "h200/sim": { bogus: 1 } as never } }),
    ).toThrow(/unknown efficiency factor \(calibration h200\/sim\) "bogus"/);
    // another pair's entry is not this configuration's business
    const cfg = resolveSimConfig({
      ...base,
      calibration: { "b200/sim": { memory: 9 }, "h200/sim": { memory: 0.5, stepOverheadUs: 0 } },
    });
    expect(cfg.efficiency.memory).toBe(0.5);
    expect(cfg.efficiency.stepOverheadUs).toBe(0);
  });

  it("fills the layout: gpus = tp x pp x workers", () => {
    const cfg = resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8, gpus: 16 });
    expect(cfg.pools).toEqual([
      { role: "mixed", workers: 2, tp: 8, ep: 1, pp: 1, dpAttention: false, gpusPerWorker: 8 },
    ]);
    expect(cfg.gpus).toBe(16);
  });

  it("refuses DeepSeek-R1 FP8 on one H100 with the numbers", () => {
    const cfg = resolveSimConfig({ model: "dsr1", hardware: "h100", tp: 1 });
    expect(() => assertFits(cfg, 2048)).toThrow(DoesNotFitError);
    expect(() => assertFits(cfg, 2048)).toThrow(
      /weights 672\.8 GB .* do not fit: KV gets 0\.9 x \(80 GB - 2 GB reserve - the weights\) .* = -535\.30 GB/,
    );
  });

  it("refuses an ep that does not divide tp", () => {
    expect(() =>
      resolveSimConfig({ model: "dsr1", hardware: "h200", gpus: 8, tp: 8, ep: 3 }),
    ).toThrow(
      "ep 3 does not divide tp 8; each expert-parallel group takes an equal share of the TP ranks",
    );
    expect(
      resolveSimConfig({ model: "dsr1", hardware: "h200", gpus: 8, tp: 8, ep: 4 }).pools[0]!.ep,
    ).toBe(4);
  });

  it("refuses a tp that splits the attention heads unevenly, as vLLM does (tp 7 on 128 heads ran)", () => {
    expect(() => resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 7 })).toThrow(
      "aggregated: tp 7 does not divide the 128 attention heads of dsr1: each TP rank takes an equal share (give tp 1, 2, 4, 8, 16, 32, 64 or 128, or DP attention)",
    );
    expect(() =>
      resolveSimConfig({
        model: "llama70b",
        hardware: "h200",
        disaggregated: true,
        decode: { tp: 3 },
      }),
    ).toThrow("decode: tp 3 does not divide the 64 attention heads of llama70b");
    // with DP attention every rank holds whole heads, as in the InferenceX DEP24 and DEP48 layouts
    expect(
      resolveSimConfig({ model: "dsr1", hardware: "gb200", tp: 24, ep: 24, dpAttention: true })
        .pools[0]!.tp,
    ).toBe(24);
  });

  it("refuses a tp that splits the KV heads unevenly, or does not replicate them evenly", () => {
    const model = {
      ...getModel("llama70b"),
      key: "odd-gqa",
      attention: { kind: "gqa" as const, heads: 48, kvHeads: 12, headDim: 128 },
    };
    expect(() => resolveSimConfig({ model, hardware: "h200", tp: 16 })).toThrow(
      "aggregated: tp 16 neither divides nor is a multiple of the 12 KV heads of odd-gqa",
    );
    expect(resolveSimConfig({ model, hardware: "h200", tp: 4 }).pools[0]!.tp).toBe(4);
  });

  it("refuses more expert-parallel ranks than the model has experts (Mixtral's 8 over EP16)", () => {
    const mixtral = {
      ...getModel("llama70b"),
      key: "mixtral",
      moe: {
        routedExperts: 8,
        topK: 2,
        sharedExperts: 0,
        expertFfn: 14336,
        denseLayers: 0,
        denseFfn: 0,
      },
    };
    expect(() => resolveSimConfig({ model: mixtral, hardware: "h200", tp: 16, ep: 16 })).toThrow(
      "aggregated: ep 16 exceeds the 8 routed experts of mixtral: each expert-parallel rank holds whole experts (give ep 8 or fewer)",
    );
    expect(resolveSimConfig({ model: mixtral, hardware: "h200", tp: 16, ep: 8 }).pools[0]!.ep).toBe(
      8,
    );
  });

  it("refuses a memory fraction outside (0, 1]", () => {
    const resolve = (memoryFraction: number) => () =>
      resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8, engine: { memoryFraction } });
    expect(resolve(1.5)).toThrow(
      "memory fraction 1.5 must lie in (0, 1]: under sim it is the share of the HBM left after the weights and a 2 GB reserve that the KV cache gets, as TensorRT-LLM's free_gpu_memory_fraction",
    );
    expect(resolve(0)).toThrow("memory fraction 0 must lie in (0, 1]");
    expect(resolve(1)().engine.memoryFraction).toBe(1);
  });

  it("refuses MTP for a model without MTP layers (Llama, gpt-oss), and takes a draft model for any", () => {
    const mtp = (model: string) => () =>
      resolveSimConfig({ model, hardware: "h200", tp: 8, spec: { method: "mtp", draftTokens: 2 } });
    expect(mtp("llama70b")).toThrow(SimSpecMethodError);
    expect(mtp("llama70b")).toThrow(
      'spec.method "mtp": llama70b has no multi-token-prediction (MTP) layers to draft with (num_nextn_predict_layers in a config.json, mtpParamsB in a catalog entry; DeepSeek-V3/R1 have one): give method "draft" for a separate draft model, or "none"',
    );
    expect(mtp("gptoss120b")).toThrow(/^spec\.method "mtp": gptoss120b has no multi-token/);
    // a catalog entry given an MTP module (an override file's mtpParamsB) may draft with it
    const withMtp = { ...getModel("llama70b"), mtpParamsB: 1 };
    const spec = { method: "mtp", draftTokens: 2 } as const;
    expect(resolveSimConfig({ model: withMtp, hardware: "h200", tp: 8, spec }).spec.method).toBe(
      "mtp",
    );
    // DeepSeek-R1 has one MTP layer, run once per draft token
    expect(mtp("dsr1")().spec).toMatchObject({ method: "mtp", draftTokens: 2, draftPasses: 2 });
    const draft = resolveSimConfig({
      model: "llama70b",
      hardware: "h200",
      tp: 8,
      spec: { method: "draft", draftTokens: 3 },
    });
    expect(draft.spec).toMatchObject({ method: "draft", draftTokens: 3, draftPasses: 3 });
  });

  it("refuses draft settings without a method, and draft counts or acceptances that are not numbers", () => {
    const base = { model: "dsr1", hardware: "h200", tp: 8 } as const;
    // they were ignored: the run had no speculative decoding
    expect(() => resolveSimConfig({ ...base, spec: { draftTokens: 3 } })).toThrow(
      'spec.draftTokens is a setting of speculative decoding: give spec.method "mtp" or "draft" with it, or leave it out',
    );
    expect(() =>
      resolveSimConfig({ ...base, spec: { method: "none", acceptanceLength: 2 } }),
    ).toThrow(SimConfigError);
    // 1.5 drafts verified 2.5 tokens per request; NaN passed the acceptance check
    expect(() => resolveSimConfig({ ...base, spec: { method: "mtp", draftTokens: 1.5 } })).toThrow(
      "spec.draftTokens must be a positive integer, got 1.5",
    );
    expect(() =>
      resolveSimConfig({ ...base, spec: { method: "mtp", draftTokens: 2, acceptanceLength: NaN } }),
    ).toThrow("acceptance length NaN must lie in [1, 1 + draft tokens = 3]");
    expect(resolveSimConfig({ ...base, spec: { method: "none" } }).spec.draftTokens).toBe(0);
  });
});
