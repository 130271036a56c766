import type { WorkerPool } from "../schemas/common.js";
import type { PointMetrics, Topology } from "../schemas/point-result.js";
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
 * InferenceX's first disaggregated rows (GB200, 2025-12: no worker layout, 0 workers a side) give the deployment's
 * GPU count as both `num_prefill_gpu` and `num_decode_gpu` (and as each side's tp); `metrics` (the row's per-GPU
 * throughputs) then tell the split, see `totalOnBothSides`.
 *
 * A row that gives no layout at all (every `*_tp`, `*_ep`, `*_dp_attention` and `*_num_workers` null or absent:
 * infermark's own export of a point without pools) is read without pools, as the point was, rather than with
 * pools of tp 1 and no workers that no one measured.
 *
 * An aggregated multinode row (InferenceX since 2026-05: `num_decode_gpu` 0, decode tp and ep 0) serves on the
 * prefill side's GPUs, read as one pool on both sides, as an aggregated row's. Each side's `*_pp` is its pools' `pp`.
 *
 * Aggregated rows with expert parallelism report `num_*_gpu = tp x ep` (64 for TP8/EP8 on one 8-GPU node), but
 * experts are spread inside the TP group and InferenceX divides throughput by the TP size; such rows serve on
 * `tp` GPUs.
 */
export function rowTopology(
  r: Record<string, unknown>,
  disaggregated: boolean,
  metrics?: PointMetrics,
): Topology | string {
  const reportedPrefill = toInt(r.num_prefill_gpu);
  const reportedDecode = toInt(r.num_decode_gpu);
  const multinode = toBool(r.is_multinode) ?? false;
  if (!reportedPrefill || reportedPrefill <= 0) return "no prefill GPU count (num_prefill_gpu)";
  const pool = (side: "prefill" | "decode", gpus: number): WorkerPool => ({
    tp: toInt(r[`${side}_tp`]) || 1,
    ep: toInt(r[`${side}_ep`]) || 1,
    pp: toInt(r[`${side}_pp`]) || 1,
    dpAttention: toBool(r[`${side}_dp_attention`]) ?? false,
    workers: toInt(r[`${side}_num_workers`]) ?? 0,
    gpus,
  });
  const pools = LAYOUT_FIELDS.some((k) => given(r[k]));
  // an aggregated multinode run has no decode side: InferenceX writes 0 decode GPUs (tp 0, ep 0) and divides every
  // throughput by the prefill side's GPUs, which serve it all
  if (!disaggregated && multinode && reportedDecode === 0) {
    const one = pool("prefill", reportedPrefill);
    return {
      disaggregated,
      multinode,
      gpus: reportedPrefill,
      prefillGpus: reportedPrefill,
      decodeGpus: reportedPrefill,
      ...(pools ? { prefill: one, decode: { ...one } } : {}),
    };
  }
  if (!reportedDecode || reportedDecode <= 0) return "no decode GPU count (num_decode_gpu)";
  if (disaggregated) {
    const total =
      toInt(r.prefill_num_workers) === 0 && toInt(r.decode_num_workers) === 0
        ? totalOnBothSides(reportedPrefill, reportedDecode, metrics)
        : undefined;
    if (total) return { disaggregated, multinode, ...total };
    return {
      disaggregated,
      multinode,
      gpus: reportedPrefill + reportedDecode,
      prefillGpus: reportedPrefill,
      decodeGpus: reportedDecode,
      ...(pools
        ? { prefill: pool("prefill", reportedPrefill), decode: pool("decode", reportedDecode) }
        : {}),
    };
  }
  const reported = Math.max(reportedPrefill, reportedDecode);
  const tp = toInt(r.decode_tp) || toInt(r.prefill_tp);
  const ep = toInt(r.decode_ep) || toInt(r.prefill_ep) || 1;
  // the GPUs InferenceX divides by: tp x pp x pcp_size (a row before pp and pcp_size: tp). A count of tp x ep that
  // is not that is the expert-parallel over-count; one that is (TP4, EP2, PP2 on 8 GPUs) is the true count
  const pp = toInt(r.decode_pp) || toInt(r.prefill_pp) || toInt(r.pp) || 1;
  const served = tp ? tp * pp * (toInt(r.pcp_size) || 1) : undefined;
  const gpus = served && ep > 1 && reported === tp! * ep && reported !== served ? served : reported;
  return {
    disaggregated,
    multinode,
    gpus,
    prefillGpus: gpus,
    decodeGpus: gpus,
    ...(pools ? { prefill: pool("prefill", gpus), decode: pool("decode", gpus) } : {}),
  };
}

/** The fields that give a row's serving layout, prefill and decode side. */
const LAYOUT_FIELDS = ["prefill", "decode"].flatMap((side) =>
  ["tp", "ep", "dp_attention", "num_workers"].map((f) => `${side}_${f}`),
);

/** Whether a row's field holds a value (null, absent and an empty string do not). */
const given = (v: unknown) => v !== undefined && v !== null && v !== "";

/**
 * The GPUs of a disaggregated row that gives its total GPU count on both sides (`prefill` = `decode` = N): InferenceX
 * divides total throughput by all GPUs, input throughput by the prefill GPUs and output by the decode GPUs, so
 * `tput x N = input x P + output x (N - P)` gives the prefill GPUs P. Read as N + N GPUs, these rows break that
 * identity by 12-69%; read as N, P comes out a whole number (4 of 36, 32 of 48, 24 of 72) to within 0.1%. Undefined
 * (the row read as given) when the counts differ, a throughput is missing, or P is not a whole number in 1..N-1.
 * @example totalOnBothSides(36, 36, { tputPerGpu: 10, inputTputPerGpu: 46, outputTputPerGpu: 5.5 }) // 36 GPUs, 4 prefill
 */
export function totalOnBothSides(
  prefill: number,
  decode: number,
  metrics?: Pick<PointMetrics, "tputPerGpu" | "inputTputPerGpu" | "outputTputPerGpu">,
): Pick<Topology, "gpus" | "prefillGpus" | "decodeGpus"> | undefined {
  const total = metrics?.tputPerGpu;
  const input = metrics?.inputTputPerGpu;
  const output = metrics?.outputTputPerGpu;
  if (prefill !== decode || total === undefined || input === undefined || output === undefined)
    return undefined;
  if (input === output) return undefined;
  const p = (prefill * (total - output)) / (input - output);
  const whole = Math.round(p);
  if (!(whole >= 1 && whole <= prefill - 1 && Math.abs(p - whole) <= 0.01 * whole))
    return undefined;
  return { gpus: prefill, prefillGpus: whole, decodeGpus: prefill - whole };
}
