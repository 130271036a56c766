/**
 * Running-request caps of InferenceX's Dynamo recipes, which the result rows do not record. Read from the
 * recipes themselves (configuration inputs, not results), found as for `inferencex-mtp.ts`: InferenceX
 * `.github/configs/nvidia-master.yaml` at the commit in force on the row's date names each Dynamo point's
 * recipe by `CONFIG_FILE` (per concurrency list and worker layout), and the recipes are NVIDIA/srt-slurm's at
 * 5063eb43 (the merge of `sa-submission-q1-2026`, which InferenceX checked out).
 *
 * Listed: the rows whose concurrency per decode worker is above the cap, so the cap binds (the others run as
 * if uncapped). The value is the requests one decode worker runs at once, the whole worker:
 * - SGLang `max-running-requests` counts the whole worker; with DP attention each rank gets
 *   `max_running_requests // dp_size` (SGLang's model runner).
 * - TensorRT-LLM `max_batch_size` of the decode (gen) worker counts one rank's scheduler: with
 *   `enable_attention_dp` each of the `tensor_parallel_size` ranks runs up to that many, so the worker runs
 *   `max_batch_size x tensor_parallel_size`. Its `max_num_tokens` (decode tokens per step,
 *   `max_batch_size x (1 + num_nextn_predict_layers)` or more in these recipes) binds no tighter.
 * SGLang's `cuda-graph-max-bs` (per rank) only selects CUDA graphs and caps nothing; each listed SGLang recipe sets
 * it at or above its per-rank cap.
 * Checked and not binding: the June 2026 B200 FP4 rows (InferenceX `benchmarks/multi_node/srt-slurm-recipes/`) and
 * the 2026-03-18 B200 FP8 8k/1k rows (`recipes/b200-fp8/8k1k_*.yaml`, in srt-slurm from 4a22a181). Rows whose recipe
 * is not known (the December 2025 GB200 rows, whose master config names no `CONFIG_FILE`) keep the simulator's
 * default limits.
 */

/** What a row needs to find its recipe's cap. */
export interface RunningCapKey {
  framework: string;
  hardware: string;
  precision: string;
  isl: number;
  osl: number;
  /** Speculative decoding of the row ("none", "mtp"). */
  spec: string;
  concurrency: number;
}

/**
 * Dynamo + SGLang: decode `max-running-requests` by hardware, precision, ISL/OSL, speculative decoding and
 * concurrency; srt-slurm `recipes/...`:
 */
const DYNAMO_SGLANG_RUNNING: Readonly<Record<string, number>> = {
  // b200-fp8/1k1k/mtp/max-tpt-dep8-1p5d.yaml: max-running-requests 512
  "b200 fp8 1024/1024 mtp 4096": 512,
  "h200 fp8 1024/1024 mtp 2048": 128, // h200/1k1k/bs256-1p6d-dep-mtp.yaml: max-running-requests 128
  "h200 fp8 8192/1024 mtp 512": 192, // h200/8k1k/bs128-1p1d-dep-mtp.yaml: max-running-requests 192
};

/**
 * Dynamo + TensorRT-LLM: decode `max_batch_size`, times the ranks with attention DP; srt-slurm
 * `recipes/trtllm/...`:
 */
const DYNAMO_TRT_RUNNING: Readonly<Record<string, number>> = {
  // b200-fp4/1k1k/mtp/ctx1_gen5_tep8_batch1_eplb0_mtp3.yaml: max_batch_size 1
  "b200 fp4 1024/1024 mtp 6": 1,
  // b200-fp4/1k1k/mtp/ctx1_gen2_dep8_batch64_eplb0_mtp2.yaml: max_batch_size 64 x 8 ranks
  "b200 fp4 1024/1024 mtp 1214": 512,
  // b200-fp4/1k1k/mtp/ctx3_gen5_dep4_batch512_eplb0_mtp1.yaml: max_batch_size 512 x 4 ranks
  "b200 fp4 1024/1024 mtp 10860": 2048,
  // b200-fp4/8k1k/mtp/ctx1_gen5_tep8_batch1_eplb0_mtp3.yaml: max_batch_size 1
  "b200 fp4 8192/1024 mtp 6": 1,
  // b200-fp4/8k1k/mtp/ctx1_gen3_tep8_batch16_eplb0_mtp3.yaml: max_batch_size 16
  "b200 fp4 8192/1024 mtp 66": 16,
  // b200-fp4/8k1k/mtp/ctx5_gen2_dep8_batch32_eplb0_mtp3.yaml: max_batch_size 32 x 8 ranks
  "b200 fp4 8192/1024 mtp 658": 256,
  // b200-fp4/8k1k/stp/ctx7_gen2_dep8_batch128_eplb0_mtp0.yaml: max_batch_size 128 x 8 ranks
  "b200 fp4 8192/1024 none 2222": 1024,
  // b200-fp8/1k1k/stp/ctx1_gen3_tp8_batch1024_eplb0_mtp0_4.yaml: max_batch_size 1
  "b200 fp8 1024/1024 none 4": 1,
  // b200-fp8/1k1k/stp/ctx2_gen5_dep8_batch128_eplb0_mtp0_5152.yaml: max_batch_size 128 x 8 ranks
  "b200 fp8 1024/1024 none 5152": 1024,
  // b200-fp8/8k1k/mtp/ctx4_gen1_dep8_batch128_eplb0_mtp2_1088.yaml: max_batch_size 128 x 8 ranks
  "b200 fp8 8192/1024 mtp 1088": 1024,
  // b300-fp4/1k1k/mtp/ctx5_gen2_dep8_batch768_eplb0_mtp1.yaml: max_batch_size 768 x 8 ranks
  "b300 fp4 1024/1024 mtp 12926": 6144,
  // b300-fp4/1k1k/stp/ctx1_gen2_dep8_batch64_eplb0_mtp0.yaml: max_batch_size 64 x 8 ranks
  "b300 fp4 1024/1024 none 1176": 512,
  // b300-fp4/8k1k/mtp/ctx1_gen4_tep8_batch4_eplb0_mtp3.yaml: max_batch_size 4
  "b300 fp4 8192/1024 mtp 32": 4,
  // b300-fp4/8k1k/mtp/ctx10_gen1_dep8_batch256_eplb0_mtp1.yaml: max_batch_size 256 x 8 ranks
  "b300 fp4 8192/1024 mtp 2198": 2048,
  // b300-fp4/8k1k/stp/ctx1_gen3_tep8_batch1_eplb0_mtp0.yaml: max_batch_size 1
  "b300 fp4 8192/1024 none 4": 1,
  // b300-fp4/8k1k/stp/ctx1_gen3_tep4_batch32_eplb0_mtp0.yaml: max_batch_size 32
  "b300 fp4 8192/1024 none 105": 32,
  // b300-fp4/8k1k/stp/ctx6_gen1_dep8_batch128_eplb0_mtp0.yaml: max_batch_size 128 x 8 ranks
  "b300 fp4 8192/1024 none 1093": 1024,
  // b300-fp8/1k1k/mtp/ctx1_gen8_tp8_batch1_eplb0_mtp3_10.yaml: max_batch_size 1
  "b300 fp8 1024/1024 mtp 10": 1,
  // b300-fp8/1k1k/stp/ctx1_gen3_dp8_batch48_eplb0_mtp0_1280.yaml: max_batch_size 48 x 8 ranks
  "b300 fp8 1024/1024 none 1280": 384,
  // b300-fp8/1k1k/stp/ctx1_gen2_dp8_batch128_eplb0_mtp0_3072.yaml: max_batch_size 128 x 8 ranks
  "b300 fp8 1024/1024 none 3072": 1024,
  // b300-fp8/1k1k/stp/ctx2_gen1_dp8_batch1024_eplb0_mtp0_16384.yaml: max_batch_size 1024 x 8 ranks
  "b300 fp8 1024/1024 none 16384": 8192,
  // b300-fp8/8k1k/mtp/ctx1_gen4_tp8_batch1_eplb0_mtp3_8.yaml: max_batch_size 1
  "b300 fp8 8192/1024 mtp 8": 1,
  // b300-fp8/8k1k/mtp/ctx1_gen4_tp8_batch4_eplb0_mtp3_20.yaml: max_batch_size 4
  "b300 fp8 8192/1024 mtp 20": 4,
  // b300-fp8/8k1k/mtp/ctx1_gen1_dp8_batch8_eplb0_mtp3_72.yaml: max_batch_size 8 x 8 ranks
  "b300 fp8 8192/1024 mtp 72": 64,
  // b300-fp8/8k1k/mtp/ctx2_gen1_dp8_batch16_eplb0_mtp3_144.yaml: max_batch_size 16 x 8 ranks
  "b300 fp8 8192/1024 mtp 144": 128,
  // gb200-fp4/1k1k/mtp/ctx1_gen1_dep32_batch4_eplb0_mtp3.yaml: max_batch_size 4 x 32 ranks
  "gb200 fp4 1024/1024 mtp 180": 128,
  // gb200-fp4/1k1k/mtp/ctx3_gen5_dep4_batch768_eplb0_mtp1.yaml: max_batch_size 768 x 4 ranks
  "gb200 fp4 1024/1024 mtp 16130": 3072,
  // gb200-fp4/1k8k/stp/ctx1_gen1_dep32_batch16_eplb0_mtp0.yaml: max_batch_size 16 x 32 ranks
  "gb200 fp4 1024/8192 none 563": 512,
  // gb200-fp4/8k1k/mtp/ctx11_gen1_dep16_batch256_eplb256_mtp1.yaml: max_batch_size 256 x 16 ranks
  "gb200 fp4 8192/1024 mtp 4301": 4096,
  // gb200-fp4/8k1k/stp/ctx1_gen4_tep8_batch16_eplb0_mtp0.yaml: max_batch_size 16
  "gb200 fp4 8192/1024 none 76": 16,
  // gb200-fp8/1k1k/stp/ctx1_gen3_tep8_batch8_eplb0_mtp0_27.yaml: max_batch_size 8
  "gb200 fp8 1024/1024 none 27": 8,
  // gb200-fp8/1k1k/stp/ctx1_gen1_dep32_batch32_eplb0_mtp0_1127.yaml: max_batch_size 32 x 32 ranks
  "gb200 fp8 1024/1024 none 1127": 1024,
  // gb200-fp8/1k1k/stp/ctx1_gen1_dep16_batch128_eplb0_mtp0_2151.yaml: max_batch_size 128 x 16 ranks
  "gb200 fp8 1024/1024 none 2151": 2048,
  // gb200-fp8/1k8k/mtp/ctx1_gen2_dep16_batch64_eplb0_mtp1_2152.yaml: max_batch_size 64 x 16 ranks
  "gb200 fp8 1024/8192 mtp 2152": 1024,
  // gb200-fp8/1k8k/stp/ctx1_gen4_tep8_batch8_eplb0_mtp0_36.yaml: max_batch_size 8
  "gb200 fp8 1024/8192 none 36": 8,
  // gb200-fp8/1k8k/stp/ctx1_gen1_dep32_batch16_eplb0_mtp0_564.yaml: max_batch_size 16 x 32 ranks
  "gb200 fp8 1024/8192 none 564": 512,
  // gb200-fp8/8k1k/mtp/ctx5_gen1_dep16_batch32_eplb0_mtp3_666.yaml: max_batch_size 32 x 16 ranks
  "gb200 fp8 8192/1024 mtp 666": 512,
  // gb200-fp8/8k1k/stp/ctx1_gen3_tep8_batch1_eplb0_mtp0_6.yaml: max_batch_size 1
  "gb200 fp8 8192/1024 none 6": 1,
  // gb200-fp8/8k1k/stp/ctx1_gen3_tep8_batch4_eplb0_mtp0_18.yaml: max_batch_size 4
  "gb200 fp8 8192/1024 none 18": 4,
  // gb200-fp8/8k1k/stp/ctx2_gen1_dep32_batch8_eplb0_mtp0_333.yaml: max_batch_size 8 x 32 ranks
  "gb200 fp8 8192/1024 none 333": 256,
  // gb200-fp8/8k1k/stp/ctx5_gen1_dep16_batch64_eplb0_mtp0_1229.yaml: max_batch_size 64 x 16 ranks
  "gb200 fp8 8192/1024 none 1229": 1024,
  // gb300-fp4/1k1k/mtp/ctx1_gen4_tep8_batch1_eplb0_mtp3.yaml: max_batch_size 1
  "gb300 fp4 1024/1024 mtp 5": 1,
  // gb300-fp4/1k1k/mtp/ctx3_gen1_dep16_batch128_eplb256_mtp1.yaml: max_batch_size 128 x 16 ranks
  "gb300 fp4 1024/1024 mtp 2253": 2048,
  // gb300-fp4/1k1k/stp/ctx1_gen4_tep8_batch32_eplb0_mtp0.yaml: max_batch_size 32
  "gb300 fp4 1024/1024 none 192": 32,
  // gb300-fp4/1k8k/mtp/ctx1_gen7_tep8_batch8_eplb0_mtp3.yaml: max_batch_size 8
  "gb300 fp4 1024/8192 mtp 63": 8,
  // gb300-fp4/8k1k/mtp/ctx1_gen4_tep8_batch1_eplb0_mtp3.yaml: max_batch_size 1
  "gb300 fp4 8192/1024 mtp 5": 1,
  // gb300-fp4/8k1k/mtp/ctx13_gen1_dep16_batch64_eplb256_mtp3.yaml: max_batch_size 64 x 16 ranks
  "gb300 fp4 8192/1024 mtp 1127": 1024,
  // gb300-fp4/8k1k/stp/ctx1_gen3_tep8_batch16_eplb0_mtp0.yaml: max_batch_size 16
  "gb300 fp4 8192/1024 none 72": 16,
  // gb300-fp4/8k1k/stp/ctx11_gen3_dep4_batch256_eplb0_mtp0.yaml: max_batch_size 256 x 4 ranks
  "gb300 fp4 8192/1024 none 3228": 1024,
  // gb300-fp8/1k1k/mtp/ctx1_gen4_tep8_batch4_eplb0_mtp3_24.yaml: max_batch_size 4
  "gb300 fp8 1024/1024 mtp 24": 4,
  // gb300-fp8/1k1k/mtp/ctx1_gen1_dep16_batch32_eplb0_mtp3_666.yaml: max_batch_size 32 x 16 ranks
  "gb300 fp8 1024/1024 mtp 666": 512,
  // gb300-fp8/1k1k/mtp/ctx2_gen1_dep16_batch128_eplb0_mtp1_2253.yaml: max_batch_size 128 x 16 ranks
  "gb300 fp8 1024/1024 mtp 2253": 2048,
  // gb300-fp8/1k8k/mtp/ctx1_gen1_dep32_batch16_eplb0_mtp3_544.yaml: max_batch_size 16 x 32 ranks
  "gb300 fp8 1024/8192 mtp 544": 512,
  // gb300-fp8/1k8k/stp/ctx1_gen4_tep8_batch8_eplb0_mtp0_36.yaml: max_batch_size 8
  "gb300 fp8 1024/8192 none 36": 8,
  // gb300-fp8/8k1k/mtp/ctx1_gen4_tep8_batch4_eplb0_mtp3_24.yaml: max_batch_size 4
  "gb300 fp8 8192/1024 mtp 24": 4,
  // gb300-fp8/8k1k/stp/ctx7_gen1_dep16_batch64_eplb0_mtp0_1229.yaml: max_batch_size 64 x 16 ranks
  "gb300 fp8 8192/1024 none 1229": 1024,
  // gb300-fp8/8k1k/stp/ctx7_gen1_dep8_batch256_eplb0_mtp0_2151.yaml: max_batch_size 256 x 8 ranks
  "gb300 fp8 8192/1024 none 2151": 2048,
  // h100-fp8/1k1k/mtp/ctx1_gen3_dep16_batch4_eplb0_mtp3.yaml: max_batch_size 4 x 16 ranks
  "h100 fp8 1024/1024 mtp 231": 64,
  // h100-fp8/1k1k/mtp/ctx1_gen1_dep16_batch32_eplb0_mtp2.yaml: max_batch_size 32 x 16 ranks
  "h100 fp8 1024/1024 mtp 615": 512,
  // h100-fp8/1k1k/stp/ctx1_gen3_tep16_batch1_eplb0_mtp0.yaml: max_batch_size 1
  "h100 fp8 1024/1024 none 6": 1,
  // h100-fp8/1k1k/stp/ctx1_gen3_tep16_batch8_eplb0_mtp0.yaml: max_batch_size 8
  "h100 fp8 1024/1024 none 30": 8,
  // h100-fp8/1k1k/stp/ctx2_gen1_dep16_batch256_eplb0_mtp0.yaml: max_batch_size 256 x 16 ranks
  "h100 fp8 1024/1024 none 4916": 4096,
  // h100-fp8/8k1k/mtp/ctx1_gen3_tep16_batch8_eplb0_mtp3.yaml: max_batch_size 8
  "h100 fp8 8192/1024 mtp 30": 8,
  // h100-fp8/8k1k/stp/ctx1_gen3_tep16_batch1_eplb0_mtp0.yaml: max_batch_size 1
  "h100 fp8 8192/1024 none 6": 1,
  // h100-fp8/8k1k/stp/ctx1_gen3_tep16_batch2_eplb0_mtp0.yaml: max_batch_size 2
  "h100 fp8 8192/1024 none 9": 2,
  // h100-fp8/8k1k/stp/ctx1_gen2_tep16_batch64_eplb0_mtp0.yaml: max_batch_size 64
  "h100 fp8 8192/1024 none 154": 64,
  // h100-fp8/8k1k/stp/ctx2_gen1_dep16_batch16_eplb0_mtp0.yaml: max_batch_size 16 x 16 ranks
  "h100 fp8 8192/1024 none 308": 256,
};

/**
 * Requests one decode worker of this InferenceX Dynamo row's recipe runs at once, where the recipe caps it below
 * the row's concurrency per decode worker; undefined where no recipe is known or its cap does not bind.
 */
export function inferencexDecodeRunningCap(k: RunningCapKey): number | undefined {
  const key = `${k.hardware} ${k.precision} ${k.isl}/${k.osl} ${k.spec} ${k.concurrency}`;
  if (k.framework === "dynamo-sglang") return DYNAMO_SGLANG_RUNNING[key];
  if (k.framework === "dynamo-trt") return DYNAMO_TRT_RUNNING[key];
  return undefined;
}
