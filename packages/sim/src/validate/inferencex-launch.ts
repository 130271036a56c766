import { DEFAULT_CATALOG, getGpu } from "@infermark/core";
import { fp8GemmApplies } from "../config/defaults.js";

/**
 * Memory fractions and running-request caps that InferenceX's single-node SGLang launch scripts pass for
 * DeepSeek-R1, which the result rows do not record. Read from the scripts themselves (configuration inputs, not
 * results): SemiAnalysisAI/InferenceX `benchmarks/dsr1_<precision>_<hardware>[_mtp].sh` (since 2026-03-27
 * `benchmarks/single_node/`, now `benchmarks/single_node/fixed_seq_len/`), the versions in force from November 2025 to
 * June 2026, the dates of the rows; none of these values changed in that span.
 *
 * `--mem-fraction-static` becomes `engine.memoryFraction` (SGLang's rule, `engine-memory.ts`: weights and KV fit in
 * that share of all HBM); `--max-running-requests`, which counts the whole server (with DP attention each rank gets
 * `max_running_requests // dp_size`), becomes `engine.maxRunningRequests` per rank. Scripts that set
 * `--max-running-requests` to the concurrency (`dsr1_fp8_mi355x_mtp.sh`) cap nothing and are listed without it.
 */

/** What a row needs to find its launch script's settings. */
export interface AggLaunchKey {
  framework: string;
  hardware: string;
  precision: string;
  /** GPUs of the aggregated worker (the script's `TP`). */
  tp: number;
  isl: number;
  osl: number;
  /** Speculative decoding of the row ("none", "mtp"). */
  spec: string;
}

/** The settings a launch script passes: `--mem-fraction-static` and, where it caps, `--max-running-requests`. */
export interface AggLaunch {
  memoryFraction: number;
  /** Requests the whole server runs at once (all DP-attention ranks together). */
  maxRunningRequests?: number;
}

/**
 * SGLang single-node scripts by hardware, precision, speculative decoding and TP ("*": any TP the script runs);
 * `h200` caps depend on ISL/OSL and are resolved in `inferencexAggLaunch`.
 */
const SGLANG_AGG: Readonly<Record<string, AggLaunch>> = {
  // dsr1_fp8_b200.sh: TP 8 MEM_FRAC_STATIC=0.82, MAX_RUNNING_REQUESTS=128; TP 4 (8k/1k only) 0.95 and 32
  "b200 fp8 none 8": { memoryFraction: 0.82, maxRunningRequests: 128 },
  "b200 fp8 none 4": { memoryFraction: 0.95, maxRunningRequests: 32 },
  // dsr1_fp8_b200_mtp.sh (TP 8 only): MEM_FRAC_STATIC=0.82, MAX_RUNNING_REQUESTS=512
  "b200 fp8 mtp 8": { memoryFraction: 0.82, maxRunningRequests: 512 },
  // dsr1_fp4_b200.sh: --mem-fraction-static 0.85 --max-running-requests 256, any TP
  "b200 fp4 none *": { memoryFraction: 0.85, maxRunningRequests: 256 },
  // dsr1_fp4_b200_mtp.sh as added on 2026-05-20 (the rows' date): 0.82 and 512 (0.85 and 256 from 2026-07-02)
  "b200 fp4 mtp *": { memoryFraction: 0.82, maxRunningRequests: 512 },
  // dsr1_fp8_b300.sh: as dsr1_fp8_b200.sh, TP 8 0.82 and 128, TP 4 0.95 and 32
  "b300 fp8 none 8": { memoryFraction: 0.82, maxRunningRequests: 128 },
  "b300 fp8 none 4": { memoryFraction: 0.95, maxRunningRequests: 32 },
  // dsr1_fp8_b300_mtp.sh (TP 8 only): MEM_FRAC_STATIC=0.82, MAX_RUNNING_REQUESTS=512
  "b300 fp8 mtp 8": { memoryFraction: 0.82, maxRunningRequests: 512 },
  // dsr1_fp4_b300.sh: --mem-fraction-static 0.85 --max-running-requests 256, any TP
  "b300 fp4 none *": { memoryFraction: 0.85, maxRunningRequests: 256 },
  // dsr1_fp8_mi300x.sh, dsr1_fp8_mi325x.sh, dsr1_fp8_mi325x_mtp.sh: --mem-fraction-static=0.8, no cap
  "mi300x fp8 none *": { memoryFraction: 0.8 },
  "mi325x fp8 none *": { memoryFraction: 0.8 },
  "mi325x fp8 mtp *": { memoryFraction: 0.8 },
  // dsr1_fp8_mi355x.sh, dsr1_fp4_mi355x.sh and their _mtp.sh: --mem-fraction-static 0.8 (the MTP scripts' cap is the
  // concurrency, which binds nothing)
  "mi355x fp8 none *": { memoryFraction: 0.8 },
  "mi355x fp8 mtp *": { memoryFraction: 0.8 },
  "mi355x fp4 none *": { memoryFraction: 0.8 },
  "mi355x fp4 mtp *": { memoryFraction: 0.8 },
};

/**
 * The memory fraction and running-request cap InferenceX's launch script passes for this aggregated SGLang row;
 * undefined for another framework or a configuration no script is listed for.
 * @example inferencexAggLaunch({ framework: "sglang", hardware: "b200", precision: "fp8", tp: 4, isl: 8192, osl: 1024, spec: "none" })
 * // { memoryFraction: 0.95, maxRunningRequests: 32 }
 */
export function inferencexAggLaunch(k: AggLaunchKey): AggLaunch | undefined {
  if (k.framework !== "sglang") return undefined;
  // dsr1_fp8_h200.sh and dsr1_fp8_h200_mtp.sh: --mem-fraction-static 0.82; --max-running-requests 512 at 1k/1k,
  // 256 at any other ISL/OSL
  if (k.hardware === "h200" && k.precision === "fp8")
    return {
      memoryFraction: 0.82,
      maxRunningRequests: k.isl === 1024 && k.osl === 1024 ? 512 : 256,
    };
  const head = `${k.hardware} ${k.precision} ${k.spec}`;
  return SGLANG_AGG[`${head} ${k.tp}`] ?? SGLANG_AGG[`${head} *`];
}

/** What a disaggregated row needs to find its Dynamo recipe's memory fraction. */
export interface DisaggLaunchKey {
  framework: string;
  hardware: string;
  precision: string;
  isl: number;
  osl: number;
  /** Workers and GPUs per worker of each pool, as the row records them. */
  prefill: { workers: number; gpusPerWorker: number };
  decode: { workers: number; gpusPerWorker: number };
}

/**
 * Dynamo + SGLang recipes' `--mem-fraction-static`, the same for their prefill and decode workers, by hardware,
 * precision, ISL/OSL and layout (`P<workers>x<GPUs a worker> D<workers>x<GPUs a worker>`). The December 2025 GB200 FP8
 * rows ran ai-dynamo/dynamo's `examples/backends/sglang/slurm_jobs` (InferenceX `dsr1_fp8_gb200_dynamo-sglang_slurm.sh`
 * checks out b7107d00 and runs `submit_disagg.sh` with the master config's `SCRIPT_MODE`); the script is read as
 * stored at dynamo bc8ca754.
 */
const DYNAMO_SGLANG_MEMORY: Readonly<Record<string, number>> = {
  // SCRIPT_MODE=8k1k-low-latency, scripts/gb200-fp8/disagg/8k1k-low-latency.sh: --mem-fraction-static 0.95 (prefill
  // and decode), TP 4 a worker; its --max-running-requests 512 is above the rows' concurrency (4 to 256)
  "gb200 fp8 8192/1024 P1x4 D1x4": 0.95,
};

/**
 * The memory fraction of this InferenceX Dynamo + SGLang row's recipe, where it is known; undefined otherwise.
 * @example inferencexDisaggMemoryFraction({ framework: "dynamo-sglang", hardware: "gb200", precision: "fp8", isl: 8192, osl: 1024, prefill: { workers: 1, gpusPerWorker: 4 }, decode: { workers: 1, gpusPerWorker: 4 } }) // 0.95
 */
export function inferencexDisaggMemoryFraction(k: DisaggLaunchKey): number | undefined {
  if (k.framework !== "dynamo-sglang") return undefined;
  const layout = `P${k.prefill.workers}x${k.prefill.gpusPerWorker} D${k.decode.workers}x${k.decode.gpusPerWorker}`;
  return DYNAMO_SGLANG_MEMORY[`${k.hardware} ${k.precision} ${k.isl}/${k.osl} ${layout}`];
}

/** What a row needs to find whether its launch script or recipe turns DeepGEMM off. */
export interface Fp8GemmKey {
  /** The row's model (catalog key): only a block-scaled FP8 checkpoint runs the GEMMs (`fp8GemmApplies`). */
  model: string;
  framework: string;
  hardware: string;
  precision: string;
  isl: number;
  osl: number;
  /** The row's date (YYYY-MM-DD): the Dynamo recipes changed on 2026-03-18. */
  date: string;
}

/** The first date of the B200 FP8 Dynamo + SGLang 8k/1k rows run from srt-slurm's `recipes/b200-fp8/8k1k_*.yaml`. */
const B200_8K1K_DEEPGEMM_FROM = "2026-03-18";

/**
 * The FP8 GEMM kernels an InferenceX SGLang row ran (`fp8Gemm`): "fallback" where its launch script or recipe sets
 * `SGLANG_ENABLE_JIT_DEEPGEMM=false` (or the older name `SGL_ENABLE_JIT_DEEPGEMM=false`) and the row's model runs
 * block-scaled FP8 GEMMs (`fp8GemmApplies`: MLA or MoE, not a dense model's per-tensor FP8), undefined (DeepGEMM,
 * SGLang's default, or no block GEMMs) otherwise. Read from the scripts the rows ran:
 * - SemiAnalysisAI/InferenceX `benchmarks/single_node/fixed_seq_len/dsr1_fp8_b200.sh` (`SGL_ENABLE_JIT_DEEPGEMM=false`,
 *   `SGLANG_ENABLE_FLASHINFER_GEMM=true`) and `dsr1_fp8_b200_mtp.sh` (`SGLANG_ENABLE_JIT_DEEPGEMM=false`,
 *   `--fp8-gemm-backend=flashinfer_trtllm`): every ISL/OSL and TP.
 * - NVIDIA/srt-slurm, Dynamo + SGLang on B200: `SGLANG_ENABLE_JIT_DEEPGEMM: "false"` in the prefill and decode
 *   environments of `recipes/b200-fp8/{1k1k,8k1k}/{stp,mtp}/*.yaml` (5063eb43, the rows up to 2026-03-13) and of
 *   `recipes/b200-fp8/1k1k.yaml` (5917791); not in `recipes/b200-fp8/8k1k_{stp,mtp}_*.yaml` (4a22a181) nor
 *   `8k1k.yaml`, which the 8k/1k rows from 2026-03-18 ran, so those keep DeepGEMM.
 * - Not set: `dsr1_fp8_h200.sh` and `dsr1_fp8_h200_mtp.sh`, and the GB200 FP8 recipes (srt-slurm
 *   `recipes/gb200-fp8/1k1k/*.yaml` set `SGLANG_JIT_DEEPGEMM_FAST_WARMUP`: they run DeepGEMM).
 * - Set but not carried: `dsr1_fp8_b300.sh` and `dsr1_fp8_b300_mtp.sh` copy the B200 scripts, flag included, but with
 *   the fallback two B300 groups of `benchmarks.json` went from 5% to 26% (1k/1k MTP) and 5% to 13% (8k/1k) off while
 *   two improved, so B300 keeps DeepGEMM here; why B300 under the same flags is not as slow is not known
 *   (docs/simulator.md, "FP8 GEMM kernels").
 * @example inferencexFp8Gemm({ model: "dsr1", framework: "dynamo-sglang", hardware: "b200", precision: "fp8", isl: 1024, osl: 1024, date: "2026-03-18" }) // "fallback"
 */
export function inferencexFp8Gemm(k: Fp8GemmKey): "fallback" | undefined {
  if (k.precision !== "fp8" || k.hardware !== "b200") return undefined;
  const scriptSetsIt =
    k.framework === "sglang" ||
    (k.framework === "dynamo-sglang" &&
      ((k.isl === 1024 && k.osl === 1024) ||
        (k.isl === 8192 && k.osl === 1024 && k.date < B200_8K1K_DEEPGEMM_FROM)));
  if (!scriptSetsIt) return undefined;
  // the flag reaches only a block-scaled FP8 checkpoint's GEMMs: a dense model's per-tensor FP8 runs no DeepGEMM
  const model = DEFAULT_CATALOG.models[k.model];
  return model && fp8GemmApplies(model, k.precision, k.framework, getGpu(k.hardware))
    ? "fallback"
    : undefined;
}
