import type { WorkerPool } from "../schemas/common.js";
import type { Topology } from "../schemas/point-result.js";
import { toBool } from "./normalize.js";

/** An integer from a number or a numeric string; undefined otherwise. */
export const toInt = (v: unknown): number | undefined => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) ? n : undefined;
};

/**
 * Topology of an InferenceX row in the new shape (`prefill_*`/`decode_*`, `num_prefill_gpu`, `num_decode_gpu`):
 * a Topology, or the reason it cannot be read.
 *
 * Aggregated rows with expert parallelism report `num_*_gpu = tp x ep` (64 for TP8/EP8 on one 8-GPU node), but
 * experts are spread inside the TP group and InferenceX divides throughput by the TP size; such rows serve on
 * `tp` GPUs.
 */
export function rowTopology(r: Record<string, unknown>, disaggregated: boolean): Topology | string {
  const reportedPrefill = toInt(r.num_prefill_gpu);
  const reportedDecode = toInt(r.num_decode_gpu);
  if (!reportedPrefill || reportedPrefill <= 0) return "no prefill GPU count (num_prefill_gpu)";
  if (!reportedDecode || reportedDecode <= 0) return "no decode GPU count (num_decode_gpu)";
  const pool = (side: "prefill" | "decode", gpus: number): WorkerPool => ({
    tp: toInt(r[`${side}_tp`]) || 1,
    ep: toInt(r[`${side}_ep`]) || 1,
    pp: 1,
    dpAttention: toBool(r[`${side}_dp_attention`]) ?? false,
    workers: toInt(r[`${side}_num_workers`]) ?? 0,
    gpus,
  });
  const multinode = toBool(r.is_multinode) ?? false;
  if (disaggregated) {
    return {
      disaggregated,
      multinode,
      gpus: reportedPrefill + reportedDecode,
      prefillGpus: reportedPrefill,
      decodeGpus: reportedDecode,
      prefill: pool("prefill", reportedPrefill),
      decode: pool("decode", reportedDecode),
    };
  }
  const reported = Math.max(reportedPrefill, reportedDecode);
  const tp = toInt(r.decode_tp) || toInt(r.prefill_tp);
  const ep = toInt(r.decode_ep) || toInt(r.prefill_ep) || 1;
  const gpus = tp && ep > 1 && reported === tp * ep ? tp : reported;
  return {
    disaggregated,
    multinode,
    gpus,
    prefillGpus: gpus,
    decodeGpus: gpus,
    prefill: pool("prefill", gpus),
    decode: pool("decode", gpus),
  };
}
