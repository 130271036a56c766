import type { Catalog, GpuSpec, ModelSpec } from "@infermark/core";
import type { EfficiencyFactors, EngineLimits } from "./defaults.js";

/** Weight / compute precisions the model knows. */
export const SIM_PRECISIONS = ["bf16", "fp8", "fp4"] as const;
export type SimPrecision = (typeof SIM_PRECISIONS)[number];

/** KV cache element types. */
export const KV_DTYPES = ["bf16", "fp8", "fp4"] as const;
export type KvDtype = (typeof KV_DTYPES)[number];

/**
 * Kernels SGLang runs a block-scaled FP8 checkpoint's GEMMs with (DeepSeek-R1's and Qwen3's 128 x 128 scales):
 * "deepgemm", its JIT DeepGEMM kernels (SGLang's default where DeepGEMM is installed), or "fallback", what it picks when
 * a launch script sets `SGLANG_ENABLE_JIT_DEEPGEMM=false` (on Blackwell FlashInfer's TensorRT-LLM groupwise FP8 GEMM,
 * `dispatch_w8a8_block_fp8_linear` in sglang `srt/layers/quantization/fp8_utils.py`).
 */
export const FP8_GEMMS = ["deepgemm", "fallback"] as const;
export type Fp8Gemm = (typeof FP8_GEMMS)[number];

/** Layout of one worker pool. */
export interface PoolOptions {
  /** Tensor-parallel GPUs per pipeline stage. @default 1 */
  tp?: number;
  /** Expert-parallel ranks (within the TP group). @default 1 */
  ep?: number;
  /** Pipeline stages. @default 1 */
  pp?: number;
  /** Data-parallel attention across the TP ranks. @default false */
  dpAttention?: boolean;
  /** Workers (engine replicas) in the pool. @default 1 */
  workers?: number;
}

/** Speculative decoding: MTP or a draft model. */
export interface SpecOptions {
  /**
   * "mtp" drafts with the model's own multi-token-prediction layers, which it must have (`mtpParamsB`: DeepSeek-V3/R1's
   * one layer, run once per draft token); "draft" with a separate draft model (EAGLE heads, a small model), which
   * suits any model and whose weights are not counted. @default "none"
   */
  method?: "none" | "mtp" | "draft";
  /** Draft tokens proposed per step. @default 1 for mtp */
  draftTokens?: number;
  /** Mean tokens produced per step including the bonus token. @default from draftTokens */
  acceptanceLength?: number;
  /**
   * Draft-module passes per step. SGLang's EAGLE worker (SGLang, Dynamo + SGLang, mori-sglang) runs one
   * pass per draft token and then a "draft extend" pass over the tokens the target accepted, to refresh the
   * draft's hidden states; TensorRT-LLM's MTP feeds the accepted tokens to its first MTP pass. @default
   * draftTokens + 1 when the framework's name contains "sglang", else draftTokens
   */
  draftPasses?: number;
}

/** What a user gives the simulator; every field but model and hardware has a default. */
export interface SimOptions {
  /** Catalog key, Hugging Face id, or a ModelSpec (for example from parseHfConfig). */
  model: string | ModelSpec;
  /** Catalog key or a GpuSpec (for example from parseGpuSpec). */
  hardware: string | GpuSpec;
  catalog?: Catalog;
  /** Engine label, used to pick calibrated factors. @default "sim" */
  framework?: string;
  /** GPUs of an aggregated deployment; defaults to tp x pp x workers. */
  gpus?: number;
  tp?: number;
  ep?: number;
  pp?: number;
  dpAttention?: boolean;
  /** Aggregated engine replicas. @default gpus / (tp x pp) */
  workers?: number;
  /** Separate prefill and decode pools. @default false */
  disaggregated?: boolean;
  prefill?: PoolOptions;
  decode?: PoolOptions;
  /** @default "fp8" */
  precision?: SimPrecision | string;
  /**
   * @default "bf16" with bf16 weights; "bf16" for gpt-oss-120b under vLLM, SGLang or TensorRT-LLM off Blackwell (their
   * `auto`, as InferenceX runs it); else "fp8" (`defaultKvCacheDtype`, docs/simulator.md "Framework defaults")
   */
  kvCacheDtype?: KvDtype | string;
  /**
   * FP8 GEMM kernels (`FP8_GEMMS`). "fallback" runs every GEMM of the model's linear layers and experts, in prefill and
   * decode, at `FP8_FALLBACK_GEMM_SHARE` of the compute efficiency; it applies to a block-scaled FP8 checkpoint (FP8
   * with MLA attention or MoE experts, `fp8GemmApplies`) under SGLang (a framework whose name contains "sglang") on a
   * Blackwell GPU (the share is fitted on B200; Hopper and AMD GPUs are refused) and is refused elsewhere. @default "deepgemm"
   */
  fp8Gemm?: Fp8Gemm | string;
  spec?: SpecOptions;
  engine?: Partial<EngineLimits>;
  efficiency?: Partial<EfficiencyFactors>;
  /**
   * Calibrated factors keyed `calibrationKey(hardware, framework)`; used when present for this pair, and the
   * defaults otherwise (a caller with a single configuration should check that its key is there).
   */
  calibration?: Record<string, Partial<EfficiencyFactors>>;
}

/** One resolved worker pool. */
export interface ResolvedPool {
  role: "mixed" | "prefill" | "decode";
  workers: number;
  tp: number;
  ep: number;
  pp: number;
  dpAttention: boolean;
  /** tp x pp */
  gpusPerWorker: number;
}

/** Options with every default filled and every check done. */
export interface ResolvedSimConfig {
  model: ModelSpec;
  gpu: GpuSpec;
  framework: string;
  precision: SimPrecision;
  kvCacheDtype: KvDtype;
  fp8Gemm: Fp8Gemm;
  spec: {
    method: "none" | "mtp" | "draft";
    draftTokens: number;
    acceptanceLength: number;
    draftPasses: number;
  };
  disaggregated: boolean;
  /** One mixed pool when aggregated; a prefill and a decode pool when disaggregated. */
  pools: ResolvedPool[];
  gpus: number;
  engine: EngineLimits;
  efficiency: EfficiencyFactors;
  /** Where the efficiency factors came from. */
  efficiencySource: "default" | "calibration" | "options";
}
