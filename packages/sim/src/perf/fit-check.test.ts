import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { DoesNotFitError } from "../errors.js";
import { explainStep } from "../explain.js";
import { assertFits } from "./fit-check.js";
import { workerModel } from "./worker-model.js";

// Llama-3.3-70B's KV per token: 2 x 8 KV heads x 128 x 80 layers = 163,840 elements, 327,680 B at BF16
const LLAMA_KV_BF16 = 2 * 8 * 128 * 80 * 2;

describe("a request's KV under DP attention lies on one rank, whatever the attention (GQA was checked as split over TP)", () => {
  const opts = { model: "llama70b", hardware: "h100", tp: 8, precision: "bf16" } as const;

  it("refuses Llama-3.3-70B BF16 on 8 H100s with SGLang's DP attention for a 130,000-token request: its 42.6 GB of KV exceed one GPU's room", () => {
    // SGLang keeps the dense MLP split over TP under DP attention, so the weights fit; under TensorRT-LLM's layout
    // each rank is a whole replica and 141 GB of weights do not (dense-dp-attention.test.ts)
    const dpa = { ...opts, dpAttention: true, framework: "sglang" };
    const cfg = resolveSimConfig(dpa);
    const w = workerModel(cfg, cfg.pools[0]!);
    // each rank holds the whole model's attention (replicated) and its own requests' KV in all 8 KV heads:
    // 0.9 x 80 GB (mem_fraction_static) less 38.8 GB of weights
    expect(w.kvBytesPerGpu / 1e9).toBeCloseTo(33.2, 1);
    expect((130_000 * LLAMA_KV_BF16) / 1e9).toBeCloseTo(42.6, 1);
    expect(() => assertFits(cfg, 130_000)).toThrow(DoesNotFitError);
    expect(() => assertFits(cfg, 130_000)).toThrow("KV for 130000 tokens 42.60 GB per GPU");
    expect(() => explainStep(dpa, 1, 130_000)).toThrow(DoesNotFitError);
    // the same request fits one rank's room at 100,000 tokens (32.8 GB)
    expect(() => assertFits(cfg, 100_000)).not.toThrow();
  });

  it("still fits it with TP attention, where each of the 8 GPUs keeps one KV head of every token (5.3 GB)", () => {
    const cfg = resolveSimConfig(opts);
    expect(() => assertFits(cfg, 130_000)).not.toThrow();
  });
});
