/**
 * Speculative-decoding settings of InferenceX's DeepSeek-R1 MTP recipes, which the result rows do not
 * record. Read from the recipes themselves (configuration inputs, not results): InferenceX
 * `benchmarks/single_node/fixed_seq_len/dsr1_*_mtp.sh`, `configs/nvidia-master.yaml` (which names each
 * Dynamo point's recipe by `CONFIG_FILE`, per concurrency list and worker layout) and
 * `configs/amd-master.yaml`, each at the commit in force on the row's date; the Dynamo recipes themselves
 * from NVIDIA/srt-slurm at 5063eb43 (the merge of the `sa-submission-q1-2026` branch InferenceX checked
 * out, 2026-03-03) and InferenceX's own `benchmarks/multi_node/srt-slurm-recipes/` (June 2026 rows).
 * None uses relaxed acceptance; every run samples greedily (temperature 0), so one acceptance law serves all.
 */

/** What a recipe's row needs to pick its MTP depth. */
export interface MtpRecipeKey {
  framework: string;
  hardware: string;
  precision: string;
  /** Nominal input and output lengths (the recipes are per ISL/OSL). */
  isl: number;
  osl: number;
  /** Attention data parallelism on the decode side (aggregated: the only pool). */
  decodeDpAttention: boolean;
  /** Decode workers of a disaggregated row (Dynamo recipes differ by them). @default 1 */
  decodeWorkers?: number;
  concurrency: number;
}

/**
 * Dynamo + TensorRT-LLM recipes whose `num_nextn_predict_layers` is not what `inferencexMtpDraftTokens` gives a row
 * of no listed recipe (3 below 1,000 requests, 1 from 1,000), by hardware, precision, ISL/OSL and concurrency
 * (each concurrency of these rows has one recipe). The depth is in the recipe's file name
 * (`..._mtpN[_conc].yaml`) and its `speculative_config`; srt-slurm `recipes/trtllm/<hw>-<precision>/...`:
 */
const DYNAMO_TRT_DEPTH: Readonly<Record<string, number>> = {
  "b200 fp4 1024/1024 1214": 2, // b200-fp4/1k1k/mtp/ctx1_gen2_dep8_batch64_eplb0_mtp2.yaml
  "b200 fp4 1024/1024 10860": 1, // b200-fp4/1k1k/mtp/ctx3_gen5_dep4_batch512_eplb0_mtp1.yaml
  "b200 fp8 1024/1024 1600": 2, // b200-fp8/1k1k/mtp/ctx1_gen2_dep8_batch768_eplb0_mtp2_1600.yaml
  "b200 fp8 8192/1024 1088": 2, // b200-fp8/8k1k/mtp/ctx4_gen1_dep8_batch128_eplb0_mtp2_1088.yaml
  "b300 fp4 1024/1024 12926": 1, // b300-fp4/1k1k/mtp/ctx5_gen2_dep8_batch768_eplb0_mtp1.yaml
  "b300 fp4 8192/1024 2198": 1, // b300-fp4/8k1k/mtp/ctx10_gen1_dep8_batch256_eplb0_mtp1.yaml
  "b300 fp8 8192/1024 512": 2, // b300-fp8/8k1k/mtp/ctx4_gen1_dp8_batch64_eplb0_mtp2_512.yaml
  "gb200 fp4 1024/1024 16130": 1, // gb200-fp4/1k1k/mtp/ctx3_gen5_dep4_batch768_eplb0_mtp1.yaml
  "gb200 fp4 8192/1024 4301": 1, // gb200-fp4/8k1k/mtp/ctx11_gen1_dep16_batch256_eplb256_mtp1.yaml
  "gb200 fp4 8192/1024 1229": 1, // gb200-fp4/8k1k/mtp/ctx7_gen1_dep16_batch64_eplb256_mtp1.yaml
  "gb200 fp8 1024/8192 2152": 1, // gb200-fp8/1k8k/mtp/ctx1_gen2_dep16_batch64_eplb0_mtp1_2152.yaml
  "gb300 fp4 1024/1024 2253": 1, // gb300-fp4/1k1k/mtp/ctx3_gen1_dep16_batch128_eplb256_mtp1.yaml
  "gb300 fp4 1024/8192 16384": 1, // gb300-fp4/1k8k/mtp/ctx1_gen4_dep8_batch512_eplb0_mtp1.yaml
  "gb300 fp4 8192/1024 1127": 3, // gb300-fp4/8k1k/mtp: from 1,000 requests on, the one recipe at mtp3
  "gb300 fp8 1024/1024 2253": 1, // gb300-fp8/1k1k/mtp/ctx2_gen1_dep16_batch128_eplb0_mtp1_2253.yaml
  "gb300 fp8 1024/8192 2048": 1, // gb300-fp8/1k8k/mtp/ctx1_gen2_dep16_batch64_eplb0_mtp1_2048.yaml
  "h100 fp8 1024/1024 615": 2, // h100-fp8/1k1k/mtp/ctx1_gen1_dep16_batch32_eplb0_mtp2.yaml
  "h200 fp8 8192/1024 128": 2, // h200/8k1k/mtp/c128_ctx2_gen1_dep8_batch32_eplb0_mtp2.yaml
  "h200 fp8 8192/1024 256": 2, // h200/8k1k/mtp/c256_ctx3_gen1_dep8_batch32_eplb0_mtp2.yaml
};

/**
 * Draft tokens (MTP depth, SGLang's `--speculative-num-steps`, TensorRT-LLM's `num_nextn_predict_layers`)
 * the InferenceX recipe of this row ran with.
 * - SGLang (EAGLE, top-k 1, `--speculative-num-draft-tokens` = steps + 1): 2 steps on NVIDIA GPUs, 3 on AMD.
 * - Dynamo + SGLang: 2 steps, except B200 FP4 8k/1k low-latency (TP decode: 3 steps,
 *   `srt-slurm-recipes/sglang/dsr1/b200-fp4/8k1k/disagg/mtp/8k1k_mtp_lowlat_*.yaml`) and B200 FP8 1k/1k
 *   max-throughput with 2 DP-attention decode workers (1 step, srt-slurm
 *   `recipes/b200-fp8/1k1k/mtp/max-tpt-dep8-1p2d.yaml`).
 * - mori-sglang (NEXTN): 2 with a TP decode pool, 1 with a DP-attention (DEP) decode pool.
 * - TensorRT-LLM single node: 3 without DP attention, 1 with it (`dsr1_*_trt_mtp.sh`).
 * - Dynamo + TensorRT-LLM: the depth of the row's recipe where `DYNAMO_TRT_DEPTH` lists it (the recipes not at
 *   3); a row of another concurrency: 3 below 1,000 requests and 1 from 1,000, as most recipes there run.
 * - ATOM: 3 with FP8; the FP4 recipe passes no count, and ATOM's default is 1.
 */
export function inferencexMtpDraftTokens(k: MtpRecipeKey): number {
  const fw = k.framework;
  const amd = k.hardware.startsWith("mi");
  if (fw === "atom") return k.precision === "fp4" ? 1 : 3;
  if (fw === "mori-sglang") return k.decodeDpAttention ? 1 : 2;
  if (fw === "sglang") return amd ? 3 : 2;
  if (fw === "dynamo-sglang") {
    if (k.hardware === "b200" && k.precision === "fp4" && !k.decodeDpAttention && k.isl === 8192)
      return 3;
    if (
      k.hardware === "b200" &&
      k.precision === "fp8" &&
      k.isl === 1024 &&
      k.osl === 1024 &&
      k.decodeDpAttention &&
      k.decodeWorkers === 2
    )
      return 1;
    return 2;
  }
  if (fw === "trt") return k.decodeDpAttention ? 1 : 3;
  // a row of no recipe listed (another date or concurrency): the recipes' trend, 1 from about 1,000 requests on
  if (fw === "dynamo-trt")
    return (
      DYNAMO_TRT_DEPTH[`${k.hardware} ${k.precision} ${k.isl}/${k.osl} ${k.concurrency}`] ??
      (k.concurrency >= 1000 ? 1 : 3)
    );
  return 3;
}
