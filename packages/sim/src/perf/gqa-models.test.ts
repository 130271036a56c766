import { describe, expect, it } from "vitest";
import { resolveSimConfig } from "../config/resolve.js";
import { chunkPairs, steadyState } from "./steady-state.js";
import { stepCosts } from "./step-time.js";
import { workerModel } from "./worker-model.js";

/** Factors pinned here so the expectations below are the formulas', whatever the defaults become. */
const efficiency = { compute: 0.5, memory: 0.8, comm: 0.5, collectiveLatencyUs: 10 };

// Llama-3.3-70B by hand: 80 layers, hidden 8192, 64 query heads and 8 KV heads of 128, FFN 28672, vocab 128256
const Q_O = 80 * 2 * 8192 * 64 * 128; // 10,737,418,240: q_proj and o_proj
const K_V = 80 * 2 * 8192 * 8 * 128; // 1,342,177,280: k_proj and v_proj
const FFN = 80 * 3 * 8192 * 28672; // 56,371,445,760: gate, up, down
const HEAD = 128256 * 8192; // 1,050,673,152: lm_head, BF16 in every checkpoint

describe("Llama-3.3-70B's weights per GPU", () => {
  it("reads every decoder linear layer at 4.5 bits in an FP4 checkpoint (it read them at FP8)", () => {
    const cfg = resolveSimConfig({
      model: "llama70b",
      hardware: "b200",
      tp: 8,
      precision: "fp4",
      efficiency,
    });
    const w = workerModel(cfg, cfg.pools[0]!);
    // NVFP4 (NVIDIA's Llama-3.3-70B-Instruct-FP4): q, k, v, o and the FFN at 4 bits + one FP8 scale per 16 =
    // 0.5625 B, the head at 2 B: (68,451,041,280 x 0.5625 + 1,050,673,152 x 2) / 8 = 5,075,632,128 B (8.82 GB at FP8)
    expect(w.fixedWeightBytes).toBeCloseTo(((Q_O + K_V + FFN) * 0.5625 + HEAD * 2) / 8, 0);
    expect(w.fixedWeightBytes).toBeCloseTo(5_075_632_128, 0);
    // and they multiply at B200's FP4 peak, 9,000 TFLOP/s, not the FP8 one
    expect(w.flopsOther).toBeCloseTo(9000e12 * efficiency.compute, 0);
  });

  it("keeps each GPU's K and V heads whole at TP16: 8 KV heads replicate over 16 GPUs", () => {
    const cfg = resolveSimConfig({ model: "llama70b", hardware: "h200", tp: 16, efficiency });
    const w = workerModel(cfg, cfg.pools[0]!);
    // FP8: q, o, FFN and the BF16 head split 16 ways; k_proj and v_proj hold one KV head per GPU, split 8 ways:
    // (10,737,418,240 + 56,371,445,760 + 2 x 1,050,673,152) / 16 + 1,342,177,280 / 8 = 4,493,410,304 B
    expect(w.fixedWeightBytes).toBeCloseTo((Q_O + FFN + 2 * HEAD) / 16 + K_V / 8, 0);
    expect(w.fixedWeightBytes).toBeCloseTo(4_493_410_304, 0);
    // each GPU also computes its K and V head for every token: 2 x 1,342,177,280 / 8 + 2 x the rest / 16
    expect(w.flopsOtherPerToken).toBeCloseTo((2 * K_V) / 8 + (2 * (Q_O + FFN)) / 16, 0);
    expect(w.flopsHeadPerToken).toBeCloseTo((2 * HEAD) / 16, 0);
    // and the KV cache, one head per GPU, is split 8 ways: 2 x 8 x 128 x 80 FP8 bytes / 8 = 20,480 B a token
    expect(w.kvReadBytesPerToken).toBe(20_480);
  });

  it("splits K and V evenly where the KV heads cover the TP group (TP8: one head per GPU)", () => {
    const cfg = resolveSimConfig({ model: "llama70b", hardware: "h200", tp: 8, efficiency });
    const w = workerModel(cfg, cfg.pools[0]!);
    // (68,451,041,280 + 2 x 1,050,673,152) / 8 = 8,819,048,448 B
    expect(w.fixedWeightBytes).toBeCloseTo(8_819_048_448, 0);
    expect(w.kvReadBytesPerToken).toBe(20_480);
  });
});

describe("the output head's FLOPs", () => {
  const cfg = resolveSimConfig({ model: "llama70b", hardware: "h200", tp: 8, efficiency });
  const w = workerModel(cfg, cfg.pools[0]!);
  // FP8 layers at H200's FP8 peak (1,979 TFLOP/s), the BF16 head at its BF16 peak (989 TFLOP/s), factor 0.5
  const fp8 = 1979e12 * 0.5;
  const bf16 = 989e12 * 0.5;
  const layersPerToken = (2 * (Q_O + K_V + FFN)) / 8;
  const headPerToken = (2 * HEAD) / 8; // 262,668,288 FLOPs a token on each of 8 GPUs

  it("cost one token per prompt in a prefill step, at the BF16 peak (8,192 prompt tokens paid for 8,192)", () => {
    const c = stepCosts(w, {
      decodeRequests: 0,
      decodeContext: 0,
      prefillTokens: 8192,
      prefillPairs: 8192 ** 2 / 2,
    });
    expect(c.linear).toBeCloseTo((8192 * layersPerToken) / fp8 + headPerToken / bf16, 12);
    const two = stepCosts(w, {
      decodeRequests: 0,
      decodeContext: 0,
      prefillTokens: 8192,
      prefillPairs: (2 * 4096 ** 2) / 2,
      prefillRequests: 2,
    });
    expect(two.linear).toBeCloseTo((8192 * layersPerToken) / fp8 + (2 * headPerToken) / bf16, 12);
  });

  it("cost every decoding token", () => {
    const c = stepCosts(w, {
      decodeRequests: 64,
      decodeContext: 64 * 1024,
      prefillTokens: 0,
      prefillPairs: 0,
    });
    expect(c.linear).toBeCloseTo((64 * layersPerToken) / fp8 + (64 * headPerToken) / bf16, 12);
  });
});

describe("gpt-oss-120b's MXFP4 experts", () => {
  it("read 4.25 bits a parameter: 4 bits + one E8M0 scale per 32 (it took NVFP4's 4.5)", () => {
    const cfg = resolveSimConfig({
      model: "gptoss120b",
      hardware: "h200",
      tp: 1,
      precision: "fp4",
      efficiency,
    });
    const w = workerModel(cfg, cfg.pools[0]!);
    // one expert in all 36 layers: gate + up (2880 x 2 x 2880) and down (2880 x 2880) = 36 x 24,883,200
    // = 895,795,200 parameters x 0.53125 B = 475,891,200 B
    expect(w.expertBytesPerGpu).toBeCloseTo(475_891_200, 0);
    // resident: 128 experts of them, BF16 attention (36 x (2 x 2880 x 4096 + 2 x 2880 x 512) = 955,514,880),
    // BF16 head and embedding (2 x 201,088 x 2880 = 1,158,266,880): 60,914,073,600 + 2 x 2,113,781,760
    expect(w.residentWeightBytesPerGpu).toBeCloseTo(
      128 * 475_891_200 + 2 * (955_514_880 + 1_158_266_880),
      0,
    );
  });
});

describe("prefill of a prompt longer than a chunk", () => {
  it("counts each chunk's pairs with the chunks before it: a 32k prompt has 32768^2 / 2 pairs", () => {
    // chunks of 8192 into a 32,768-token prompt: (8192^2, 16384^2 - 8192^2, ...) / 2
    expect(chunkPairs(0, 8192, 32768)).toBe(33_554_432);
    expect(chunkPairs(8192, 8192, 32768)).toBe(100_663_296);
    expect(chunkPairs(16384, 8192, 32768)).toBe(167_772_160);
    expect(chunkPairs(24576, 8192, 32768)).toBe(234_881_024);
    // eight 1024-token prompts in one chunk: 8 x 1024^2 / 2
    expect(chunkPairs(8192, 8192, 1024)).toBe(4_194_304);
  });

  it("times a 32k prompt's four chunks at those pairs (TTFT took 8192 x 32768 / 2 for the last one)", () => {
    const cfg = resolveSimConfig({ model: "llama70b", hardware: "h200", tp: 8, efficiency });
    const w = workerModel(cfg, cfg.pools[0]!);
    const chunk = (pairs: number) =>
      stepCosts(w, {
        decodeRequests: 0,
        decodeContext: 0,
        prefillTokens: 8192,
        prefillPairs: pairs,
      }).total;
    const expected =
      chunk(33_554_432) + chunk(100_663_296) + chunk(167_772_160) + chunk(234_881_024);
    expect(steadyState(cfg, 32768, 1024, 1).ttftS).toBeCloseTo(expected, 12);
  });
});
