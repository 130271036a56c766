import type { GpuSpec, ModelSpec } from "@infermark/core";
import { frameworkEngine } from "./engine-memory.js";
import type { KvDtype, SimPrecision } from "./options.js";

/**
 * Models whose InferenceX launch scripts leave the KV cache dtype at the engine's `auto` on some GPUs, with the dtype
 * `auto` gives: gpt-oss-120b's checkpoint (MXFP4 experts, BF16 elsewhere) carries no KV quantisation, so vLLM
 * (`--kv-cache-dtype auto`), SGLang (`--kv-cache-dtype auto`) and TensorRT-LLM (`kv_cache_config.dtype: auto`) keep
 * BF16 KV. The H100, H200 and MI300X/MI325X/MI355X scripts pass no KV dtype; the B200 and B300 ones pass FP8
 * (vLLM `kv-cache-dtype: fp8`, SGLang `--kv-cache-dtype fp8_e4m3`, TensorRT-LLM `dtype: fp8`).
 */
const AUTO_KV_CHECKPOINTS: ReadonlyArray<{ key: string; hfId: string; kv: KvDtype }> = [
  { key: "gptoss120b", hfId: "openai/gpt-oss-120b", kv: "bf16" },
];

/**
 * Blackwell: an NVIDIA GPU with native FP4 (B200, B300, GB200, GB300), where the recipes above pass FP8 KV and where
 * `fp8Gemm: "fallback"` has a basis (`fp8GemmApplies`).
 */
export const isBlackwell = (gpu: GpuSpec): boolean =>
  gpu.vendor === "nvidia" && gpu.tflops.fp4 !== undefined;

/**
 * The KV cache dtype a run gets when none is given: BF16 with BF16 weights; for gpt-oss-120b under vLLM, SGLang or
 * TensorRT-LLM (as `frameworkEngine` reads the label: Dynamo, mori and llm-d included) off Blackwell, BF16, as those engines' `auto` and InferenceX's
 * launch scripts run it; FP8 otherwise (as InferenceX's DeepSeek-R1 and Llama-3.3-70B scripts pass it, and for an
 * unnamed framework).
 * @example defaultKvCacheDtype({ model: getModel("gptoss120b"), gpu: getGpu("h200"), framework: "vllm", precision: "fp4" }) // "bf16"
 */
export function defaultKvCacheDtype(o: {
  model: ModelSpec;
  gpu: GpuSpec;
  framework: string;
  precision: SimPrecision;
}): KvDtype {
  if (o.precision === "bf16") return "bf16";
  // vLLM, SGLang and TensorRT-LLM default the KV dtype to `auto`, the checkpoint's
  const autoKv = frameworkEngine(o.framework) !== undefined;
  const checkpoint = AUTO_KV_CHECKPOINTS.find(
    (c) => c.key === o.model.key || c.hfId.toLowerCase() === o.model.hfId.toLowerCase(),
  );
  if (autoKv && checkpoint && !isBlackwell(o.gpu)) return checkpoint.kv;
  return "fp8";
}
