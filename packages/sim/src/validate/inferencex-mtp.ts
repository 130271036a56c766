/**
 * Speculative-decoding settings of InferenceX's DeepSeek-R1 MTP recipes, which the result rows do not
 * record. Read from the recipes themselves (configuration inputs, not results): InferenceX
 * `benchmarks/single_node/fixed_seq_len/dsr1_*_mtp.sh` and `configs/*-master.yaml` at 843c6254 (2026-08-21),
 * and NVIDIA/srt-slurm `recipes/` (branch sa-submission-q2-2026, deb1dfd9) for the Dynamo recipes.
 * None uses relaxed acceptance; every run samples greedily (temperature 0), so one acceptance law serves all.
 */

/** What a recipe's row needs to pick its MTP depth. */
export interface MtpRecipeKey {
  framework: string;
  hardware: string;
  precision: string;
  /** Attention data parallelism on the decode side (aggregated: the only pool). */
  decodeDpAttention: boolean;
  concurrency: number;
}

/**
 * Draft tokens (MTP depth, SGLang's `--speculative-num-steps`, TensorRT-LLM's `num_nextn_predict_layers`)
 * the InferenceX recipe of this row ran with.
 * - SGLang (EAGLE, top-k 1): 2 steps on NVIDIA GPUs (single node and Dynamo), 3 on AMD single node and
 *   in Dynamo's B200 FP4 low-latency recipes (a TP decode pool; its DP-attention recipes use 2).
 * - mori-sglang (NEXTN): 2 with a TP decode pool, 1 with a DP-attention (DEP) decode pool.
 * - TensorRT-LLM single node: 3 without DP attention, 1 with it.
 * - Dynamo + TensorRT-LLM: 3, except the highest-concurrency recipes (about 1,000 and more), which use 1.
 * - ATOM: 3 with FP8; the FP4 recipe passes no count, and ATOM's default is 1.
 */
export function inferencexMtpDraftTokens(k: MtpRecipeKey): number {
  const fw = k.framework;
  const amd = k.hardware.startsWith("mi");
  if (fw === "atom") return k.precision === "fp4" ? 1 : 3;
  if (fw === "mori-sglang") return k.decodeDpAttention ? 1 : 2;
  if (fw === "sglang") return amd ? 3 : 2;
  if (fw === "dynamo-sglang") return k.precision === "fp4" && !k.decodeDpAttention ? 3 : 2;
  if (fw === "trt") return k.decodeDpAttention ? 1 : 3;
  if (fw === "dynamo-trt") return k.concurrency >= 1000 ? 1 : 3;
  return 3;
}
