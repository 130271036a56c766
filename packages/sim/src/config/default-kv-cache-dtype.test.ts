import { getGpu, getModel } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { defaultKvCacheDtype } from "./default-kv-cache-dtype.js";
import { resolveSimConfig } from "./resolve.js";

const kvOf = (model: string, hardware: string, framework?: string, precision = "fp4") =>
  resolveSimConfig({
    model,
    hardware,
    precision,
    ...(framework ? { framework } : {}),
  }).kvCacheDtype;

describe("default KV cache dtype per framework", () => {
  it("keeps gpt-oss-120b's BF16 KV under vLLM, SGLang and TensorRT-LLM off Blackwell, as `auto` does", () => {
    expect(kvOf("gptoss120b", "h200", "vllm")).toBe("bf16");
    expect(kvOf("gptoss120b", "h100", "sglang")).toBe("bf16");
    expect(kvOf("gptoss120b", "h200", "trt")).toBe("bf16");
    expect(kvOf("gptoss120b", "h200", "dynamo-trt")).toBe("bf16");
    expect(kvOf("gptoss120b", "mi300x", "vllm")).toBe("bf16");
    expect(kvOf("gptoss120b", "mi355x", "vllm")).toBe("bf16");
  });

  it("gives gpt-oss-120b FP8 KV on Blackwell, where InferenceX's scripts pass fp8", () => {
    expect(kvOf("gptoss120b", "b200", "vllm")).toBe("fp8");
    expect(kvOf("gptoss120b", "b300", "trt")).toBe("fp8");
    expect(kvOf("gptoss120b", "gb200", "dynamo-trt")).toBe("fp8");
    expect(kvOf("gptoss120b", "b200", "sglang")).toBe("fp8");
  });

  it("leaves DeepSeek-R1, Llama-3.3-70B, other engines and an unnamed framework at FP8", () => {
    expect(kvOf("dsr1", "h200", "sglang", "fp8")).toBe("fp8");
    expect(kvOf("dsr1", "h200", "trt", "fp8")).toBe("fp8");
    expect(kvOf("dsr1", "mi355x", "mori-sglang", "fp4")).toBe("fp8");
    expect(kvOf("llama70b", "h200", "vllm", "fp8")).toBe("fp8");
    expect(kvOf("llama70b", "h200", "trt", "fp8")).toBe("fp8");
    expect(kvOf("gptoss120b", "mi355x", "atom")).toBe("fp8");
    expect(kvOf("gptoss120b", "h200")).toBe("fp8");
  });

  it("gives BF16 KV with BF16 weights, and a given dtype wins", () => {
    expect(kvOf("llama70b", "h200", "vllm", "bf16")).toBe("bf16");
    expect(
      resolveSimConfig({
        model: "gptoss120b",
        hardware: "h200",
        precision: "fp4",
        framework: "vllm",
        kvCacheDtype: "fp8",
      }).kvCacheDtype,
    ).toBe("fp8");
  });

  it("recognises gpt-oss-120b by its Hugging Face id, as a config.json names it", () => {
    const spec = { ...getModel("gptoss120b"), key: "gpt-oss-120b" };
    expect(
      defaultKvCacheDtype({
        model: spec,
        gpu: getGpu("h200"),
        framework: "vLLM",
        precision: "fp4",
      }),
    ).toBe("bf16");
  });
});

describe("default KV cache dtype reads framework aliases as core's importer does", () => {
  it.each([
    "llm-d",
    "dynamo-vllm",
    "mori-sglang",
    "dynamo-sglang",
    "dynamo-trt",
    "tensorrt-llm",
    "trtllm",
  ])("%s: gpt-oss-120b keeps BF16 KV on an H200, as its engine's auto does", (framework) => {
    expect(kvOf("gptoss120b", "h200", framework)).toBe("bf16");
  });

  it.each(["atom", "sim"])("%s: FP8 KV (no engine named)", (framework) => {
    expect(kvOf("gptoss120b", "h200", framework)).toBe("fp8");
  });
});
