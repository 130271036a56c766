import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { DoesNotFitError } from "../errors.js";
import { assertFits } from "./fit-check.js";
import { stepCosts } from "./step-time.js";
import { workerModel } from "./worker-model.js";

// TensorRT-LLM's enable_attention_dp on a dense model builds attention and MLP at TP 1 on every rank
// (`overridden_tp_size=1`, no all-reduce): each rank is a whole replica that schedules its own requests
const efficiency = { compute: 0.3, memory: 0.6, comm: 0.6, collectiveLatencyUs: 12 };
const base = { model: "llama70b", hardware: "h200", precision: "fp8", efficiency } as const;
const batch = (B: number, ctx: number) => ({
  decodeRequests: B,
  decodeContext: B * ctx,
  prefillTokens: 0,
  prefillPairs: 0,
});

describe("DP attention on a dense model runs each rank as a whole replica (TensorRT-LLM's layout)", () => {
  const dpa = resolveSimConfig({ ...base, tp: 8, dpAttention: true, framework: "trt" });
  const one = resolveSimConfig({ ...base, tp: 1, workers: 8, framework: "trt" });
  const w = workerModel(dpa, dpa.pools[0]!);
  const w1 = workerModel(one, one.pools[0]!);

  it("holds and reads the whole weights on every GPU, as a worker of TP 1 does", () => {
    expect(w.residentWeightBytesPerGpu).toBe(w1.residentWeightBytesPerGpu);
    expect(w.fixedWeightBytes).toBe(w1.fixedWeightBytes);
    expect(w.kvBytesPerGpu).toBe(w1.kvBytesPerGpu);
  });

  it("runs no collective: no all-reduce, no gather around the FFN", () => {
    const c = stepCosts(w, batch(64, 2048));
    expect(c.allReduce).toBe(0);
    expect(c.allToAll).toBe(0);
  });

  it("steps 8 x B requests in the time a TP-1 replica steps B, and holds 8 times its KV", () => {
    const c = stepCosts(w, batch(8 * 32, 2048));
    const c1 = stepCosts(w1, batch(32, 2048));
    expect(c.total).toBeCloseTo(c1.total, 12);
    expect(Math.abs(w.kvCapacityTokens - 8 * w1.kvCapacityTokens)).toBeLessThan(8);
    // each count floors its own division: the same tokens within 8
  });

  it("is the layout without --framework as well (the engine whose flag is enable_attention_dp)", () => {
    const d = resolveSimConfig({ ...base, tp: 8, dpAttention: true });
    const dw = workerModel(d, d.pools[0]!);
    expect(dw.residentWeightBytesPerGpu).toBe(w1.residentWeightBytesPerGpu);
    expect(stepCosts(dw, batch(64, 2048)).allReduce).toBe(0);
  });

  it("keeps SGLang's layout: attention per rank, the dense MLP split over TP with a gather and a scatter", () => {
    const s = resolveSimConfig({ ...base, tp: 8, dpAttention: true, framework: "sglang" });
    const sw = workerModel(s, s.pools[0]!);
    expect(sw.residentWeightBytesPerGpu).toBeLessThan(w1.residentWeightBytesPerGpu / 2);
    expect(stepCosts(sw, batch(64, 2048)).allReduce).toBeGreaterThan(0);
  });

  it("refuses Llama-3.3-70B BF16 on H200 with DP attention: the whole 141 GB of weights do not fit one GPU", () => {
    const bf16 = resolveSimConfig({ ...base, precision: "bf16", tp: 8, dpAttention: true });
    expect(() => assertFits(bf16, 1024)).toThrow(DoesNotFitError);
    expect(() => assertFits(bf16, 1024)).toThrow(
      /each GPU holds the whole model under DP attention.*drop --dp-attention/,
    );
    // FP8 fits: about 70 GB of weights per GPU
    expect(w.residentWeightBytesPerGpu / 1e9).toBeGreaterThan(70);
    expect(() => assertFits(dpa, 1024)).not.toThrow();
  });
});
