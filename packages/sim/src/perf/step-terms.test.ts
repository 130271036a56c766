import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { modelShape } from "./model-shape.js";
import { keptTokens } from "./sliding-window.js";
import { prefillCapacity, steadyState } from "./steady-state.js";
import { allReduceTime, allToAllTime, groupLatency, stepCosts } from "./step-time.js";
import { gemmPeaks, weightBytes, workerModel } from "./worker-model.js";

/** Factors pinned here so the expectations below are the formulas', whatever the defaults become. */
const efficiency = { compute: 0.3, memory: 0.6, comm: 0.6, collectiveLatencyUs: 12 };

const batch = (B: number, ctx: number) => ({
  decodeRequests: B,
  decodeContext: B * ctx,
  prefillTokens: 0,
  prefillPairs: 0,
});

describe("prefill capacity", () => {
  const cfg = resolveSimConfig({
    model: "dsr1",
    hardware: "b200",
    disaggregated: true,
    prefill: { tp: 8, ep: 8, dpAttention: true, workers: 1 },
    decode: { tp: 8, workers: 8 },
    efficiency,
  });

  it("prefills as many whole prompts as fit max batched tokens in one step", () => {
    const cap = prefillCapacity(cfg, 1000);
    expect(cap.perBatch).toBe(8);
    // 8,000 tokens fit one 8,192-token chunk: one step of 8 prompts of 1,000 tokens, causal pairs 1000^2 / 2 each
    const step = stepCosts(workerModel(cfg, cfg.pools.find((p) => p.role === "prefill")!), {
      decodeRequests: 0,
      decodeContext: 0,
      prefillTokens: 8000,
      prefillPairs: 8 * 500_000,
      prefillRequests: 8,
    }).total;
    expect(cap.batchS).toBeCloseTo(step, 12);
    expect(cap.requestsPerS).toBeCloseTo(8 / step, 9);
  });

  it("is the rate the steady state runs at when the prefill pool limits it", () => {
    const s = steadyState(cfg, 1000, 1000, 8192);
    expect(s.limit).toBe("prefill");
    // one prefill worker's prompts per second, over all 72 GPUs
    const rate = prefillCapacity(cfg, 1000).requestsPerS;
    expect(s.tputPerGpu).toBeCloseTo((rate * 2000) / 72, 6);
  });
});

describe("collectives by layout", () => {
  it("TP attention with experts over EP ranks needs no all-to-all: two all-reduces per layer", () => {
    const tp = resolveSimConfig({ model: "dsr1", hardware: "b200", tp: 8, efficiency });
    const ep = resolveSimConfig({ model: "dsr1", hardware: "b200", tp: 8, ep: 8, efficiency });
    const a = stepCosts(workerModel(tp, tp.pools[0]!), batch(16, 1536));
    const b = stepCosts(workerModel(ep, ep.pools[0]!), batch(16, 1536));
    expect(b.allToAll).toBe(0);
    expect(b.allReduce).toBe(a.allReduce);
    // 2 x 61 layers x (2 x 7/8 x 16 tokens x 7168 x 2 B / (900 GB/s x 0.6) + 12 µs)
    const per = (2 * 7 * 16 * 7168 * 2) / 8 / (900e9 * 0.6) + 12e-6;
    expect(a.allReduce).toBeCloseTo(2 * 61 * per, 12);
  });

  it("DP attention with EP dispatches and combines over all-to-all on the 58 MoE layers", () => {
    const cfg = resolveSimConfig({
      model: "dsr1",
      hardware: "b200",
      tp: 8,
      ep: 8,
      dpAttention: true,
      efficiency,
    });
    const c = stepCosts(workerModel(cfg, cfg.pools[0]!), batch(64, 1536));
    expect(c.allReduce).toBe(0);
    // per GPU: 64/8 tokens x top-8 x 7168 x 3 B x 7/8
    const bytes = 8 * 8 * 7168 * 3 * (7 / 8);
    expect(c.allToAll).toBeCloseTo(58 * (bytes / (900e9 * 0.6) + 2 * 12e-6), 12);
  });

  it("takes log2(group) rounds of latency per small collective: TP4 two thirds of TP8, TP2 a third", () => {
    expect(groupLatency(12e-6, 8)).toBeCloseTo(12e-6, 15);
    expect(groupLatency(12e-6, 4)).toBeCloseTo(8e-6, 15);
    expect(groupLatency(12e-6, 2)).toBeCloseTo(4e-6, 15);
    expect(groupLatency(12e-6, 64)).toBeCloseTo(24e-6, 15);
    expect(groupLatency(12e-6, 1)).toBe(0);
    // at batch 1 the all-reduces are latency: 2 x 61 layers x (bytes / bandwidth + rounds x latency)
    const at = (tp: number) => {
      const cfg = resolveSimConfig({ model: "dsr1", hardware: "b200", tp, efficiency });
      return stepCosts(workerModel(cfg, cfg.pools[0]!), batch(1, 1024)).allReduce;
    };
    const bytes = (tp: number) => (2 * (tp - 1) * 7168 * 2) / tp / (900e9 * 0.6);
    expect(at(4)).toBeCloseTo(2 * 61 * (bytes(4) + 8e-6), 12);
    expect(at(8)).toBeCloseTo(2 * 61 * (bytes(8) + 12e-6), 12);
  });

  it("runs an all-reduce over two 8-GPU domains hierarchically: 1/8 of the message crosses each NIC", () => {
    // NVLink 4 at 450 GB/s x 0.6, 400G NICs (50 GB/s) x 0.6, 8 GPUs per domain, 24 µs per 8-GPU collective
    const w = { upBw: 450e9 * 0.6, nicBw: 50e9 * 0.6, upLatency: 24e-6, domainGpus: 8 };
    const message = 190 * 7168 * 2;
    const inside = ((2 * 7) / 8) * (message / w.upBw) + 24e-6;
    expect(allReduceTime(w, message, 8)).toBeCloseTo(inside, 12);
    // between the two domains: each GPU all-reduces its 1/8 shard with its peer, one round of 3 x 24 µs
    expect(allReduceTime(w, message, 16)).toBeCloseTo(inside + message / 8 / w.nicBw + 72e-6, 12);
    // far cheaper than a flat ring whose every byte crossed the NICs
    expect(allReduceTime(w, message, 16)).toBeLessThan(((2 * 15) / 16) * (message / w.nicBw));
    // an all-to-all over 16 sends 8/15 of its bytes over the NIC while the rest goes over NVLink
    const bytes = 1e6;
    expect(allToAllTime(w, bytes, 16)).toBeCloseTo(
      (bytes * 8) / 15 / w.nicBw + 2 * (24e-6 + 72e-6),
      12,
    );
    expect(allToAllTime(w, bytes, 8)).toBeCloseTo(bytes / w.upBw + 2 * 24e-6, 12);
  });

  it("scales a collective's latency with the fabric: NVLink 4 (450 GB/s) takes twice NVLink 5's", () => {
    const b200 = resolveSimConfig({ model: "dsr1", hardware: "b200", tp: 8, efficiency });
    const h200 = resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8, efficiency });
    expect(workerModel(b200, b200.pools[0]!).commLatency).toBeCloseTo(12e-6, 15);
    expect(workerModel(h200, h200.pools[0]!).commLatency).toBeCloseTo(24e-6, 15);
    // across nodes (TP 16 > the 8-GPU domain): 3x, over the NICs
    const h16 = resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 16, efficiency });
    expect(workerModel(h16, h16.pools[0]!).commLatency).toBeCloseTo(72e-6, 15);
  });
});

describe("roofline per kernel", () => {
  it("adds max(weights, GEMM FLOPs) and max(KV reads, attention FLOPs); attention at the BF16 peak", () => {
    // MTP verifies 4 tokens per request: attention FLOPs outweigh the KV reads at long context
    const cfg = resolveSimConfig({
      model: "dsr1",
      hardware: "h200",
      tp: 8,
      spec: { method: "mtp", draftTokens: 3, acceptanceLength: 2.4 },
      efficiency,
    });
    const w = workerModel(cfg, cfg.pools[0]!);
    expect(w.flopsAttention).toBeCloseTo(989e12 * 0.3, 0);
    expect(w.flopsOther).toBeCloseTo(1979e12 * 0.3, 0);
    const c = stepCosts(w, batch(8, 8192));
    expect(c.attention).toBeGreaterThan(c.kv);
    expect(c.weights).toBeGreaterThan(c.linear);
    expect(c.total - c.draft).toBeCloseTo(c.weights + c.attention + c.comm + c.overhead, 12);
    const bound = Math.max(c.weights, c.linear) + Math.max(c.kv, c.attention);
    expect(c.total - c.draft).toBeCloseTo(bound + c.comm + c.overhead, 12);
    expect(bound).toBeGreaterThan(Math.max(c.memory, c.compute));
  });
});

describe("steady state below one request per worker", () => {
  it("runs only `concurrency` requests: 1 request on 4 workers yields a quarter of 4 requests", () => {
    const cfg = resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8, gpus: 32 });
    const one = steadyState(cfg, 1024, 1024, 1);
    const four = steadyState(cfg, 1024, 1024, 4);
    expect(one.tpotS).toBe(four.tpotS);
    expect(one.tputPerGpu).toBeCloseTo(four.tputPerGpu / 4, 9);
  });

  it("does the same for disaggregated decode workers", () => {
    const cfg = resolveSimConfig({
      model: "dsr1",
      hardware: "b200",
      disaggregated: true,
      prefill: { tp: 8 },
      decode: { tp: 8, workers: 3 },
    });
    const one = steadyState(cfg, 1024, 1024, 1);
    const three = steadyState(cfg, 1024, 1024, 3);
    expect(one.tputPerGpu).toBeCloseTo(three.tputPerGpu / 3, 9);
  });
});

describe("KV memory budget", () => {
  it("gives the KV cache the memory fraction of HBM less reserve and weights", () => {
    const cfg = resolveSimConfig({ model: "dsr1", hardware: "b200", tp: 4 });
    const w = workerModel(cfg, cfg.pools[0]!);
    const kvBytes = (180e9 - 2e9 - w.residentWeightBytesPerGpu) * 0.9;
    expect(w.kvCapacityTokens).toBe(Math.floor(kvBytes / w.kvStoredBytesPerToken));
    // DeepSeek-R1 FP8 on 4 B200 holds KV for dozens of 1k/1k requests (InferenceX runs it at 64)
    expect(w.kvCapacityTokens / 1536).toBeGreaterThan(64);
  });
});

describe("sliding-window attention (gpt-oss: 18 of 36 layers see the last 128 tokens)", () => {
  it("reads and keeps the window, not the context, in sliding layers", () => {
    const cfg = resolveSimConfig({
      model: "gptoss120b",
      hardware: "h100",
      precision: "fp4",
      efficiency,
    });
    const w = workerModel(cfg, cfg.pools[0]!);
    expect(w.span).toEqual({ fullShare: 0.5, slidingShare: 0.5, window: 128 });
    // 2 x 8 KV heads x 64 x 36 layers x 1 B (FP8 KV, the default with FP4 weights) = 36,864 B per token
    expect(cfg.kvCacheDtype).toBe("fp8");
    expect(w.kvReadBytesPerToken).toBe(36_864);
    const c = stepCosts(w, batch(10, 2048));
    // 10 requests x (half the layers x 2048 + half x 128) tokens, at 3.35 TB/s x 0.6
    expect(c.kv).toBeCloseTo((10 * (1024 + 64) * 36_864) / (3.35e12 * 0.6), 15);
    // a token in every layer; a request of 2048 tokens keeps half the layers x 2048 + half x 128 of them (the
    // sliding layers' window was left out: 1024 kept, 6% too few)
    expect(w.kvStoredBytesPerToken).toBe(36_864);
    expect(keptTokens(w.span, 2048)).toBe(1024 + 64);
    // a short context is read whole in every layer
    expect(stepCosts(w, batch(10, 100)).kv).toBeCloseTo((10 * 100 * 36_864) / (3.35e12 * 0.6), 15);
  });
});

describe("FP4 checkpoints", () => {
  it("read NVFP4 experts at 4.5 bits, MXFP4 ones at 4.25, and the rest at the model's non-expert precision", () => {
    const dsr1 = resolveSimConfig({ model: "dsr1", hardware: "b200", tp: 8, precision: "fp4" });
    const gptoss = resolveSimConfig({ model: "gptoss120b", hardware: "h100", precision: "fp4" });
    expect(weightBytes("fp4")).toEqual({ experts: 0.5625, other: 1 });
    // MXFP4 (gpt-oss): 4 bits + one E8M0 scale per 32 = 4.25 bits
    expect(weightBytes("fp4", "bf16")).toEqual({ experts: 0.53125, other: 2 });
    // a dense model's FP4 checkpoint quantises all its linear layers
    expect(weightBytes("fp4", "fp8", true)).toEqual({ experts: 0.5625, other: 0.5625 });
    const attention = modelShape(gptoss.model).attention;
    const w = workerModel(gptoss, gptoss.pools[0]!);
    // gpt-oss: BF16 attention + BF16 head (no dense layers, no shared experts), one GPU
    expect(w.fixedWeightBytes).toBeCloseTo(attention * 2 + modelShape(gptoss.model).head * 2, 0);
    expect(workerModel(dsr1, dsr1.pools[0]!).fixedWeightBytes).toBeLessThan(
      workerModel(
        resolveSimConfig({ model: "dsr1", hardware: "b200", tp: 8, precision: "bf16" }),
        dsr1.pools[0]!,
      ).fixedWeightBytes,
    );
  });
});

describe("GEMM peaks by precision", () => {
  const h100 = { bf16: 989, fp8: 1979 };
  const b200 = { bf16: 2250, fp8: 4500, fp4: 9000 };

  it("run FP4 experts at the FP4 peak where the GPU has one, else in BF16 (W4A16 on Hopper)", () => {
    expect(gemmPeaks("fp4", "fp8", b200)).toEqual({ flopsOther: 4500, flopsExpert: 9000 });
    expect(gemmPeaks("fp4", "fp8", h100)).toEqual({ flopsOther: 1979, flopsExpert: 989 });
  });

  it("run the BF16 non-expert layers of an FP4 checkpoint (gpt-oss) at the BF16 peak", () => {
    expect(gemmPeaks("fp4", "bf16", b200)).toEqual({ flopsOther: 2250, flopsExpert: 9000 });
    const cfg = resolveSimConfig({
      model: "gptoss120b",
      hardware: "h100",
      precision: "fp4",
      efficiency,
    });
    const w = workerModel(cfg, cfg.pools[0]!);
    expect(w.flopsOther).toBeCloseTo(989e12 * efficiency.compute, 0);
    expect(w.flopsExpert).toBeCloseTo(989e12 * efficiency.compute, 0);
  });

  it("run FP8 and BF16 checkpoints at their own peak", () => {
    expect(gemmPeaks("fp8", "fp8", h100)).toEqual({ flopsOther: 1979, flopsExpert: 1979 });
    expect(gemmPeaks("bf16", "fp8", h100)).toEqual({ flopsOther: 989, flopsExpert: 989 });
  });
});

describe("draft passes per step", () => {
  const mtp = (framework: string, draftPasses?: number) =>
    resolveSimConfig({
      model: "dsr1",
      hardware: "b200",
      tp: 8,
      framework,
      spec: { method: "mtp", draftTokens: 2, acceptanceLength: 2.44, draftPasses },
      efficiency: { ...efficiency, draftFraction: 0.1 },
    });
  const draftOf = (framework: string, draftPasses?: number) => {
    const cfg = mtp(framework, draftPasses);
    return { cfg, c: stepCosts(workerModel(cfg, cfg.pools[0]!), batch(32, 1536)) };
  };

  it("runs SGLang's draft-extend pass after the drafts (EAGLE), none after TensorRT-LLM's MTP", () => {
    const trt = draftOf("trt");
    const sglang = draftOf("dynamo-sglang");
    expect(trt.cfg.spec.draftPasses).toBe(2);
    expect(sglang.cfg.spec.draftPasses).toBe(3);
    // each pass costs draftFraction of the target step; the target step itself is the same
    expect(trt.c.draft).toBeCloseTo(2 * 0.1 * (trt.c.total - trt.c.draft), 12);
    expect(sglang.c.total - sglang.c.draft).toBeCloseTo(trt.c.total - trt.c.draft, 12);
    expect(sglang.c.draft / trt.c.draft).toBeCloseTo(3 / 2, 12);
  });

  it("takes the passes from the options, and refuses a count that is not a positive integer", () => {
    expect(draftOf("sglang", 2).c.draft).toBeCloseTo(draftOf("trt").c.draft, 12);
    expect(() => mtp("sglang", 0)).toThrow(/spec.draftPasses must be a positive integer, got 0/);
    expect(
      resolveSimConfig({ model: "dsr1", hardware: "b200", framework: "sglang" }).spec.draftPasses,
    ).toBe(0);
  });
});
