import { getGpu } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { DoesNotFitError } from "../errors.js";
import { assertFits } from "../perf/fit-check.js";
import { workerModel } from "../perf/worker-model.js";
import { frameworkEngine, kvMemoryRule } from "./engine-memory.js";
import { resolveSimConfig } from "./resolve.js";

// gpt-oss-120b FP4 (MXFP4 experts, BF16 elsewhere) on one H200: 65.14 GB of weights, BF16 KV (the engines' `auto`)
const gptoss = (
  framework: string,
  engine?: { memoryFraction?: number; maxRunningRequests?: number },
) => {
  const cfg = resolveSimConfig({
    model: "gptoss120b",
    hardware: "h200",
    precision: "fp4",
    framework,
    ...(engine ? { engine } : {}),
  });
  return { cfg, w: workerModel(cfg, cfg.pools[0]!) };
};

describe("the memory fraction means each framework's own flag (it was TensorRT-LLM's free_gpu_memory_fraction for every engine)", () => {
  const HBM = 141e9;
  const tokens = (kvBytes: number, perToken: number) => Math.floor(kvBytes / perToken);

  it("vLLM: weights, activations (the 2 GB reserve) and KV fit in gpu_memory_utilization 0.9 x all HBM", () => {
    const { w } = gptoss("vllm");
    expect(w.residentWeightBytesPerGpu).toBe(65_141_637_120);
    expect(w.kvBytesPerGpu).toBeCloseTo(0.9 * HBM - 65_141_637_120 - 2e9, 0);
    expect(w.kvCapacityTokens).toBe(
      tokens(0.9 * HBM - w.residentWeightBytesPerGpu - 2e9, w.kvStoredBytesPerToken),
    );
    expect(w.kvCapacityTokens).toBe(810_524);
  });

  it("SGLang: weights and KV fit in mem_fraction_static 0.9 x all HBM; activations live in the rest", () => {
    const { w } = gptoss("sglang");
    expect(w.kvCapacityTokens).toBe(
      tokens(0.9 * HBM - w.residentWeightBytesPerGpu, w.kvStoredBytesPerToken),
    );
    expect(w.kvCapacityTokens).toBe(837_651);
    // Dynamo and mori run SGLang's engine, so its rule
    expect(gptoss("dynamo-sglang").w.kvCapacityTokens).toBe(837_651);
  });

  it("TensorRT-LLM and an unnamed framework keep free_gpu_memory_fraction: 0.9 x (HBM - reserve - weights)", () => {
    const { w } = gptoss("trt");
    expect(w.kvCapacityTokens).toBe(
      tokens(0.9 * (HBM - 2e9 - w.residentWeightBytesPerGpu), w.kvStoredBytesPerToken),
    );
    expect(w.kvCapacityTokens).toBe(901_591);
    const sim = gptoss("sim").w;
    expect(sim.kvCapacityTokens).toBe(
      tokens(0.9 * (HBM - 2e9 - sim.residentWeightBytesPerGpu), sim.kvStoredBytesPerToken),
    );
  });

  it("a given fraction keeps the framework's meaning: vLLM at 0.95 gets 0.95 x HBM less weights and reserve", () => {
    const { w } = gptoss("vllm", { memoryFraction: 0.95 });
    expect(w.kvCapacityTokens).toBe(
      tokens(0.95 * HBM - w.residentWeightBytesPerGpu - 2e9, w.kvStoredBytesPerToken),
    );
  });

  it("refuses a layout by the framework's rule, and says which rule: vLLM at 0.45 leaves no KV for gpt-oss on one H200", () => {
    const { cfg } = gptoss("vllm", { memoryFraction: 0.45 });
    expect(() => assertFits(cfg, 1024)).toThrow(DoesNotFitError);
    expect(() => assertFits(cfg, 1024)).toThrow(
      "gptoss120b at fp4 on mixed workers of tp 1 x pp 1 h200: weights 65.1 GB + KV for 1024 tokens 0.04 GB per GPU do not fit: " +
        "KV gets 0.45 x 141 GB (vLLM gpu_memory_utilization 0.45, a share of all HBM) less the weights and a 2 GB reserve for activations = -3.69 GB; " +
        "use more GPUs per worker (tp/pp), a lower precision or a higher --memory-fraction",
    );
    // the same fraction under TensorRT-LLM's rule is a share of what the weights leave, so it fits
    expect(() => assertFits(gptoss("trt", { memoryFraction: 0.45 }).cfg, 1024)).not.toThrow();
  });

  it("the resolve error says what the fraction means under the framework", () => {
    expect(() => gptoss("sglang", { memoryFraction: 1.2 })).toThrow(
      "memory fraction 1.2 must lie in (0, 1]: under sglang it is SGLang's mem_fraction_static: the share of all HBM for weights and KV",
    );
  });
});

describe("running-request caps are the engine's own defaults (it was 1024 for every engine)", () => {
  it.each([
    ["vllm", "h200", 1024],
    ["vllm", "b200", 1024],
    ["vllm", "mi355x", 1024],
    ["sglang", "b200", 4096],
    ["dynamo-sglang", "h200", 4096],
    ["trt", "b200", 2048],
    ["dynamo-trt", "gb200", 2048],
    ["sim", "h200", 1024],
    ["atom", "mi355x", 1024],
  ])("%s on %s: %i", (framework, hardware, cap) => {
    const cfg = resolveSimConfig({ model: "llama70b", hardware, tp: 8, framework });
    expect(cfg.engine.maxRunningRequests).toBe(cap);
  });

  it("vLLM: 256 on a GPU under 70 GiB or an A100 (its small-GPU branch)", () => {
    const cap = (key: string, hbmGb: number) =>
      resolveSimConfig({
        model: "llama70b",
        hardware: { ...getGpu("h100"), key, hbmGb },
        tp: 8,
        framework: "vllm",
      }).engine.maxRunningRequests;
    expect(cap("l40s", 48)).toBe(256);
    expect(cap("a100-80gb", 80)).toBe(256);
    expect(cap("h100-nvl", 94)).toBe(1024);
  });

  it("a given cap wins over the engine's default", () => {
    expect(gptoss("sglang", { maxRunningRequests: 128 }).cfg.engine.maxRunningRequests).toBe(128);
    expect(gptoss("trt", { maxRunningRequests: 512 }).cfg.engine.maxRunningRequests).toBe(512);
  });
});

describe("framework labels are read as core's importer reads them (llm-d read as no engine, tensorrt-llm as none)", () => {
  it.each([
    ["llm-d", "vllm", "vllm", 1024, 810_524],
    ["dynamo-vllm", "vllm", "vllm", 1024, 810_524],
    ["mori-sglang", "sglang", "sglang", 4096, 837_651],
    ["dynamo-sglang", "sglang", "sglang", 4096, 837_651],
    ["sglang-disagg", "sglang", "sglang", 4096, 837_651],
    ["dynamo-trt", "trt", "free", 2048, 901_591],
    ["dynamo-trtllm", "trt", "free", 2048, 901_591],
    ["tensorrt-llm", "trt", "free", 2048, 901_591],
    ["TensorRT-LLM", "trt", "free", 2048, 901_591],
    ["trtllm", "trt", "free", 2048, 901_591],
    [" LLM-D ", "vllm", "vllm", 1024, 810_524],
  ])(
    "%s runs %s: its memory rule, running-request cap and BF16 auto KV for gpt-oss on one H200",
    (framework, engine, rule, cap, tokens) => {
      expect(frameworkEngine(framework)).toBe(engine);
      expect(kvMemoryRule(framework)).toBe(rule);
      const { cfg, w } = gptoss(framework);
      expect(cfg.kvCacheDtype).toBe("bf16");
      expect(cfg.engine.maxRunningRequests).toBe(cap);
      expect(w.kvCapacityTokens).toBe(tokens);
    },
  );

  it.each(["atom", "sim"])(
    "%s names no engine: free_gpu_memory_fraction, the fallback cap, FP8 KV",
    (framework) => {
      expect(frameworkEngine(framework)).toBeUndefined();
      expect(kvMemoryRule(framework)).toBe("free");
      const { cfg } = gptoss(framework);
      expect(cfg.engine.maxRunningRequests).toBe(1024);
      expect(cfg.kvCacheDtype).toBe("fp8");
    },
  );
});
