import { type GpuSpec, normalizeFramework } from "@infermark/core";

/**
 * How a serving engine sizes its KV cache from its memory fraction `f` (`EngineLimits.memoryFraction`), per GPU:
 * - `free` (TensorRT-LLM's `kv_cache_config.free_gpu_memory_fraction`, and any engine not named below): the KV cache
 *   gets `f x (HBM - weights - reserve)`, a share of what the weights and the activation reserve leave;
 * - `vllm` (vLLM's `gpu_memory_utilization`): weights, the activation peak and the KV cache together fit in
 *   `f x HBM`, so the KV cache gets `f x HBM - weights - reserve` (`Worker.determine_available_memory`);
 * - `sglang` (SGLang's `mem_fraction_static`): weights and the KV pool together fit in `f x HBM`, and activations and
 *   CUDA graphs live in the rest, so the KV cache gets `f x HBM - weights` (`ModelRunner.profile_max_num_token`).
 */
export type KvMemoryRule = "free" | "vllm" | "sglang";

/** Memory per GPU kept for activations, CUDA graphs and the runtime (bytes). */
export const RESERVE_BYTES = 2e9;

/** The engine each canonical framework name (`normalizeFramework`'s, as InferenceX's rows are read) runs. */
const FRAMEWORK_ENGINES: Readonly<Record<string, "sglang" | "vllm" | "trt">> = {
  sglang: "sglang",
  "mori-sglang": "sglang",
  "dynamo-sglang": "sglang",
  vllm: "vllm",
  "dynamo-vllm": "vllm",
  "llm-d": "vllm",
  trt: "trt",
  "dynamo-trt": "trt",
};

/**
 * The engine a framework label runs, read as core's importer reads InferenceX's labels (`normalizeFramework`:
 * case and spaces aside, `trtllm`, `tensorrt-llm` and `dynamo-trtllm` are TensorRT-LLM, `sglang-disagg` mori-sglang):
 * SGLang (sglang, mori-sglang, dynamo-sglang), vLLM (vllm, dynamo-vllm, llm-d) or TensorRT-LLM (trt, dynamo-trt);
 * another label naming one of them (`my-vllm`) runs that one; undefined for any other label ("sim", "atom").
 * @example frameworkEngine("llm-d") // "vllm"
 */
export function frameworkEngine(framework: string): "sglang" | "vllm" | "trt" | undefined {
  const name = normalizeFramework(framework).framework;
  const known = FRAMEWORK_ENGINES[name];
  if (known) return known;
  if (name.includes("sglang")) return "sglang";
  if (name.includes("vllm")) return "vllm";
  if (name.includes("trt") || name.includes("tensorrt")) return "trt";
  return undefined;
}

/**
 * The KV memory rule of a framework label: `vllm` for vLLM, `sglang` for SGLang, `free` for TensorRT-LLM and the rest.
 * @example kvMemoryRule("vllm") // "vllm"
 */
export function kvMemoryRule(framework: string): KvMemoryRule {
  const engine = frameworkEngine(framework);
  return engine === "vllm" || engine === "sglang" ? engine : "free";
}

/**
 * KV cache bytes per GPU under a rule at memory fraction `fraction`, given HBM and resident weights per GPU (bytes);
 * 0 or less when the weights do not fit.
 * @example kvBudgetBytes("vllm", 0.9, 141e9, 30e9) // 0.9 x 141e9 - 30e9 - 2e9 = 94.9e9
 */
export function kvBudgetBytes(
  rule: KvMemoryRule,
  fraction: number,
  hbmBytes: number,
  weightBytes: number,
): number {
  if (rule === "vllm") return fraction * hbmBytes - weightBytes - RESERVE_BYTES;
  if (rule === "sglang") return fraction * hbmBytes - weightBytes;
  return fraction * (hbmBytes - RESERVE_BYTES - weightBytes);
}

/** What the memory fraction means under a rule, in the words of the engine's flag, for messages and `--help`. */
export function memoryFractionMeaning(rule: KvMemoryRule): string {
  if (rule === "vllm")
    return "vLLM's gpu_memory_utilization: the share of all HBM for weights, activations and KV";
  if (rule === "sglang")
    return "SGLang's mem_fraction_static: the share of all HBM for weights and KV";
  return "the share of the HBM left after the weights and a 2 GB reserve that the KV cache gets, as TensorRT-LLM's free_gpu_memory_fraction";
}

/** Bytes of a GiB, as the engines compare device memory. */
const GIB = 1024 ** 3;

/**
 * The running-request cap of one scheduler (one DP-attention rank) when none is given, as the engine sets it:
 * - vLLM V1 (`vllm/engine/arg_utils.py`, `EngineArgs.get_batch_defaults`, v0.10-v0.11): `max_num_seqs` 1024 for the
 *   OpenAI server on a GPU of 70 GiB or more that is not an A100, 256 otherwise;
 * - SGLang (`python/sglang/srt/model_executor/model_runner.py`, v0.4-v0.5): with `--max-running-requests` unset,
 *   the request pool's size, `min(max(KV tokens / context x 512, 2048), 4096)`, so at most 4096 (the KV cache, which
 *   the simulator checks apart, bounds it too);
 * - TensorRT-LLM (`tensorrt_llm/llmapi/llm_args.py`, `max_batch_size`, trtllm-serve `--max_batch_size`, 1.0): 2048;
 * - any other label: `fallback` (`DEFAULT_ENGINE.maxRunningRequests`).
 * @example defaultMaxRunningRequests("sglang", getGpu("b200"), 1024) // 4096
 */
export function defaultMaxRunningRequests(
  framework: string,
  gpu: GpuSpec,
  fallback: number,
): number {
  const engine = frameworkEngine(framework);
  if (engine === "vllm") {
    const large = gpu.hbmGb * 1e9 >= 70 * GIB && !gpu.key.toLowerCase().startsWith("a100");
    return large ? 1024 : 256;
  }
  if (engine === "sglang") return 4096;
  if (engine === "trt") return 2048;
  return fallback;
}
