import type { GpuSpec, ModelSpec } from "@infermark/core";
import { isBlackwell } from "./default-kv-cache-dtype.js";
import { frameworkEngine } from "./engine-memory.js";

/**
 * Efficiency factors of the performance model. Peak figures from the catalog are multiplied by the
 * efficiencies; the overheads are added per step.
 */
export interface EfficiencyFactors {
  /** Fraction of peak dense TFLOPS reached by GEMMs and attention (attention at the BF16 peak). @default 0.74 */
  compute: number;
  /** Fraction of peak HBM bandwidth reached by weight and KV reads. @default 0.8 */
  memory: number;
  /**
   * Fraction of peak scale-up / NIC bandwidth reached by collectives and KV transfer. @default 0.175 for models with
   * MLA attention (fitted on DeepSeek-R1), `PHYSICAL_COMM_EFFICIENCY` (0.7) for the others (`modelEfficiency`)
   */
  comm: number;
  /** Fixed cost of one engine step: scheduling, sampling, launch (µs). @default 1320 */
  stepOverheadUs: number;
  /**
   * Cost of one step per request it runs, on the CPU of the scheduler that runs it (µs): scheduling, sampling and
   * output processing per sequence. With DP attention each attention rank schedules its own requests, in parallel.
   * @default 0
   */
  requestOverheadUs: number;
  /**
   * Per-layer cost of small kernels that do not scale with the batch (µs), quoted for an MLA + MoE layer with
   * shared experts (DeepSeek-R1, 28 kernels); other layers pay in proportion to their kernels (`layerUnits`). @default 67
   */
  layerOverheadUs: number;
  /**
   * Latency of one collective inside a scale-up domain of 900 GB/s per GPU (NVLink 5), in µs; a slower fabric
   * takes longer in proportion (NVLink 4 at 450 GB/s: twice), and 3x across nodes. @default 11
   */
  collectiveLatencyUs: number;
  /** Cost of one MTP / draft-model pass as a fraction of a target step. @default 0.112 */
  draftFraction: number;
}

/** The engine label of a configuration that names none; it picks calibrated factors (`calibrationKey`). */
export const DEFAULT_FRAMEWORK = "sim";

/** Engine limits, as the serving engines call them. */
export interface EngineLimits {
  /** Tokens one step may compute (decode + prefill chunk). @default 8192 */
  maxBatchedTokens: number;
  /**
   * Requests running at once per worker (per DP-attention rank). @default the engine's own when the framework names
   * one (`defaultMaxRunningRequests`: vLLM 1024 on GPUs of 70 GiB or more, else 256; SGLang 4096; TensorRT-LLM 2048),
   * else 1024
   */
  maxRunningRequests: number;
  /** Prefill chunk size (tokens); prompts longer than this are split over steps. @default 8192 */
  chunkedPrefill: number;
  /**
   * The engine's memory fraction, read as the framework's own flag (`kvMemoryRule`): under vLLM its
   * `gpu_memory_utilization` (weights, activations and KV fit in this share of all HBM), under SGLang its
   * `mem_fraction_static` (weights and KV fit in this share of all HBM), under TensorRT-LLM and any other framework
   * the share of the HBM left after the weights and a 2 GB reserve that the KV cache gets, as TensorRT-LLM's
   * `free_gpu_memory_fraction`. @default 0.9
   */
  memoryFraction: number;
  /** KV cache block (page) size in tokens. @default 64 */
  blockSize: number;
  /** Fixed latency of one prefill-to-decode KV transfer (µs). @default 500 */
  kvTransferLatencyUs: number;
}

/**
 * Default efficiency factors: one set for all GPUs and engines (scaled per GPU by `PLATFORM_STEP_SCALE`), chosen by `bench/sim/tune-defaults.ts` on
 * examples/data/inferencex/benchmarks.json (see docs/simulator.md).
 */
export const DEFAULT_EFFICIENCY: EfficiencyFactors = {
  compute: 0.74,
  memory: 0.8,
  comm: 0.175,
  stepOverheadUs: 1320,
  requestOverheadUs: 16,
  layerOverheadUs: 67,
  collectiveLatencyUs: 11,
  draftFraction: 0.112,
};

/**
 * Share of a link's bandwidth (scale-up NVLink / Infinity Fabric, or a NIC) that the bytes of a large-message
 * collective reach: 0.7. A ring all-reduce's bus bandwidth (NCCL's and RCCL's `busbw`, the 2 (n - 1) / n x message per
 * GPU that `allReduceTime` divides by this bandwidth) runs at about 0.7-0.8 of the per-GPU link on 8-GPU NVLink and
 * xGMI nodes once messages are a few MB, and RDMA between nodes nearer the line rate; 0.7 is the low end. What a small
 * message loses is not in this share: every collective also pays its latency (`collectiveLatencyUs`, log2 of the group
 * in rounds; an all-to-all two of them, a round between domains three times one), and a KV transfer its fixed
 * `kvTransferLatencyUs`. This is link physics, not fitted to any inference result; it is the `comm` default of models
 * without MLA attention (`modelEfficiency`).
 */
export const PHYSICAL_COMM_EFFICIENCY = 0.7;

/**
 * Whether a model runs the default factors as fitted, communication included: models with MLA attention, as
 * DeepSeek-R1, the one model the defaults were fitted on. There the fitted `comm` (0.175) carries a per-token cost of
 * DeepSeek-R1's prefill that is not known to be the all-reduce's (docs/simulator.md, "Known limits"); on any other
 * model it made tensor-parallel prefill all-reduce-bound (Llama-3.3-70B FP8 8k prefill on 8 H100: 481 of 596 ms), so
 * those get `PHYSICAL_COMM_EFFICIENCY` for all their collectives instead.
 * @example commFitApplies(getModel("llama70b")) // false
 */
export function commFitApplies(model: ModelSpec): boolean {
  return model.attention.kind === "mla";
}

/** The default factors of a model without MLA attention: `DEFAULT_EFFICIENCY` with the physical `comm`. */
const PHYSICAL_COMM_DEFAULTS: EfficiencyFactors = {
  ...DEFAULT_EFFICIENCY,
  comm: PHYSICAL_COMM_EFFICIENCY,
};

/**
 * The default factors of a model before any platform factor: `DEFAULT_EFFICIENCY` for an MLA model (or none given),
 * the same with `comm` at `PHYSICAL_COMM_EFFICIENCY` for any other (`commFitApplies`).
 * @example modelEfficiency(getModel("gptoss120b")).comm // 0.7
 */
export function modelEfficiency(model?: ModelSpec): EfficiencyFactors {
  return model === undefined || commFitApplies(model) ? DEFAULT_EFFICIENCY : PHYSICAL_COMM_DEFAULTS;
}

/**
 * How many times longer the serving software's steps take on a GPU than the default factors give, by catalog GPU key:
 * 1.35 on CDNA3 (MI300X, MI325X). Their DeepSeek-R1 results in `examples/data/inferencex/` run 1.2-1.6x the model's
 * decode step at every batch and context, on both GPUs alike although MI325X has 13% more bandwidth, and in every
 * SGLang release measured (2025-12 to 2026-05; the older ones slower still), so it is the platform's kernels, not a
 * term the model lacks. It applies to the paths it was measured on (`platformApplies`: MLA attention, and FP8 MoE
 * experts, block-scaled in DeepSeek's and Qwen3's checkpoints), not to a dense model or to MXFP4 experts on these
 * GPUs, which no measurement here covers. MI355X (CDNA4) and the NVIDIA GPUs need none. The value is the one that
 * minimises the in-sample error the defaults are tuned on (`benchmarks.json`, 22.8% against 24.7% without; the history file, never
 * descended on: 22.8% against 26.5%); docs/simulator.md, "Platform factor".
 */
export const PLATFORM_STEP_SCALE: Readonly<Record<string, number>> = { mi300x: 1.35, mi325x: 1.35 };

/**
 * Efficiency factors as they run on a GPU: every time term of a step scaled by the GPU's `PLATFORM_STEP_SCALE`
 * (efficiencies divided by it, overheads and latencies multiplied; the draft pass, a share of a step, scales with the
 * step), rounded to 4 significant digits as factors are written. A GPU without a scale gets `factors` as they are.
 * @example onPlatform(DEFAULT_EFFICIENCY, "mi300x").stepOverheadUs // 1782
 */
export function onPlatform(factors: EfficiencyFactors, gpuKey: string): EfficiencyFactors {
  const k = PLATFORM_STEP_SCALE[gpuKey.toLowerCase()];
  if (k === undefined) return factors;
  const r = (x: number) => +x.toPrecision(4);
  return {
    compute: r(factors.compute / k),
    memory: r(factors.memory / k),
    comm: r(factors.comm / k),
    stepOverheadUs: r(factors.stepOverheadUs * k),
    requestOverheadUs: r(factors.requestOverheadUs * k),
    layerOverheadUs: r(factors.layerOverheadUs * k),
    collectiveLatencyUs: r(factors.collectiveLatencyUs * k),
    draftFraction: factors.draftFraction,
  };
}

/**
 * Whether a model at a precision runs the software paths the platform factor was measured on (DeepSeek-R1 on CDNA3,
 * docs/simulator.md "Platform factor"): MLA attention, or MoE experts at FP8 (block-scaled FP8 grouped GEMMs). A
 * dense model (Llama's FP8 GEMMs) or MXFP4 / NVFP4 experts without MLA (gpt-oss) are not covered by it.
 * @example platformApplies(getModel("llama70b"), "fp8") // false
 */
export function platformApplies(model: ModelSpec, precision: string): boolean {
  return model.attention.kind === "mla" || (model.moe !== undefined && precision === "fp8");
}

/**
 * The platform factor a GPU's steps get for a model at a precision (`PLATFORM_STEP_SCALE` where
 * `platformApplies`), or undefined when they run the defaults unscaled.
 * @example platformStepScale("mi300x", getModel("dsr1"), "fp8") // 1.35
 */
export function platformStepScale(
  gpuKey: string,
  model: ModelSpec,
  precision: string,
): number | undefined {
  return platformApplies(model, precision) ? PLATFORM_STEP_SCALE[gpuKey.toLowerCase()] : undefined;
}

/**
 * The default factors on a GPU: the model's (`modelEfficiency`: `DEFAULT_EFFICIENCY`, with the physical `comm` for a
 * model without MLA) on its platform (`onPlatform`); given a model and precision, only where the platform factor
 * applies to them (`platformApplies`).
 * @example platformEfficiency("h200") === DEFAULT_EFFICIENCY // true
 * @example platformEfficiency("mi300x", getModel("llama70b"), "fp8").comm // 0.7, not scaled
 * @example platformEfficiency("mi300x", qwen3MoeFromConfigJson, "fp8").comm // 0.5185 (0.7 / 1.35: FP8 MoE, scaled)
 */
export const platformEfficiency = (
  gpuKey: string,
  model?: ModelSpec,
  precision?: string,
): EfficiencyFactors =>
  model && !platformApplies(model, precision ?? "fp8")
    ? modelEfficiency(model)
    : onPlatform(modelEfficiency(model), gpuKey);

/**
 * Share of the compute efficiency that SGLang's block-scaled FP8 GEMMs reach without DeepGEMM (`fp8Gemm: "fallback"`):
 * every linear-layer and expert GEMM of a step runs at `compute` x this share of the FP8 peak. Fitted on
 * `/work/shared/data/inferencex/` alone: the saturated B200 FP8 SGLang rows, whose launch scripts set
 * `SGLANG_ENABLE_JIT_DEEPGEMM=false`, prefill 2.6-3.4k input tokens/s per GPU against 8.7-11.4k on GB200 / GB300,
 * whose recipes keep DeepGEMM; docs/simulator.md, "FP8 GEMM kernels".
 */
export const FP8_FALLBACK_GEMM_SHARE = 0.1;

/**
 * Whether `fp8Gemm` means anything for a deployment: a block-scaled FP8 checkpoint (FP8 with MLA attention or MoE
 * experts, DeepSeek's and Qwen3's 128 x 128 scales; `platformApplies`) under SGLang (`frameworkEngine`) on Blackwell
 * (`isBlackwell`), where the fallback is FlashInfer's TensorRT-LLM groupwise GEMM and `FP8_FALLBACK_GEMM_SHARE` was
 * fitted (B200). Not on Hopper, whose fallback (CUTLASS or Triton) no row measures, nor on AMD GPUs, where SGLang runs
 * no DeepGEMM (aiter's kernels).
 * @example fp8GemmApplies(getModel("dsr1"), "fp8", "dynamo-sglang", getGpu("b200")) // true
 * @example fp8GemmApplies(getModel("dsr1"), "fp8", "vllm", getGpu("b200")) // false
 * @example fp8GemmApplies(getModel("dsr1"), "fp8", "sglang", getGpu("mi355x")) // false
 */
export function fp8GemmApplies(
  model: ModelSpec,
  precision: string,
  framework: string,
  gpu: GpuSpec,
): boolean {
  return (
    precision === "fp8" &&
    platformApplies(model, precision) &&
    frameworkEngine(framework) === "sglang" &&
    isBlackwell(gpu)
  );
}

/**
 * The most of its peak a factor may claim: an engine cannot beat what one GPU does in isolation
 * (`bench/gpu/nvidia-check.sh`, docs/simulator.md): BF16 GEMMs reached 0.80 of peak on an H100 and 0.82 on an
 * H200, a 4 GiB read 0.91 and 0.87 of peak bandwidth. `sim calibrate` and `bench/sim/tune-defaults.ts` stay within
 * them.
 */
export const ISOLATED_GPU_LIMITS = { compute: 0.82, memory: 0.91 } as const;

export const DEFAULT_ENGINE: EngineLimits = {
  maxBatchedTokens: 8192,
  maxRunningRequests: 1024,
  chunkedPrefill: 8192,
  memoryFraction: 0.9,
  blockSize: 64,
  kvTransferLatencyUs: 500,
};

/** Probability that a draft token is accepted given that the one before it was (greedy sampling). */
export const DEFAULT_DRAFT_ACCEPTANCE = 0.8;

/**
 * Mean acceptance length (tokens per step, bonus token included) of `draftTokens` drafts when not given:
 * 1 + p + p^2 + ... + p^draftTokens, each draft accepted with probability `p` once the one before it was.
 */
export function defaultAcceptanceLength(
  draftTokens: number,
  p: number = DEFAULT_DRAFT_ACCEPTANCE,
): number {
  let expected = 1;
  let q = 1;
  for (let i = 0; i < draftTokens; i++) {
    q *= p;
    expected += q;
  }
  return expected;
}

/**
 * Draft-module passes charged per step of `draftTokens` drafts under `framework`: `draftTokens`, as TensorRT-LLM's
 * MTP runs them, and one more for SGLang's EAGLE worker (SGLang, Dynamo + SGLang, mori-sglang). That worker also
 * makes `draftTokens` forward passes (`draftTokens - 1` draft decodes and a draft-extend pass over the accepted
 * tokens, `forward_draft_extend_after_decode`); the extra pass stands for what its speculative path costs beyond
 * them (the extend runs `1 + draftTokens` tokens a request; no overlap scheduler without spec v2), as
 * `benchmarks.json` shows: without it the in-sample error goes from 22.8% to 23.9% (docs/simulator.md).
 * @example defaultDraftPasses("dynamo-sglang", 2) // 3
 */
export function defaultDraftPasses(framework: string, draftTokens: number): number {
  return draftTokens > 0 && frameworkEngine(framework) === "sglang" ? draftTokens + 1 : draftTokens;
}
