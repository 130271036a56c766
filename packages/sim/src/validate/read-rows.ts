import type { PointResult } from "@infermark/core";
import type { SimOptions } from "../config/options.js";

/** One measured point to predict: its configuration as simulator options and what was measured. */
export interface ValidationCase {
  /** Group label: hardware, framework, precision, ISL/OSL, topology, speculative decoding. */
  group: string;
  /** Configuration without concurrency (points of one curve share it). */
  configKey: string;
  hardware: string;
  framework: string;
  date: string;
  isl: number;
  osl: number;
  concurrency: number;
  options: SimOptions;
  measured: { tputPerGpu: number; intvty: number };
}

/** Why a document could not become a case. */
export interface SkippedRow {
  reason: string;
  label: string;
}

type Row = Record<string, unknown> & { metrics?: Record<string, number> };

const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;

/** True when a document looks like one row of the InferenceX results API. */
export function isInferencexApiRow(doc: unknown): doc is Row {
  return (
    typeof doc === "object" &&
    doc !== null &&
    "hardware" in doc &&
    "conc" in doc &&
    "metrics" in doc &&
    typeof (doc as Row).metrics === "object"
  );
}

function topologyLabel(o: SimOptions): string {
  const pool = (p: { tp?: number; ep?: number; dpAttention?: boolean; workers?: number }) =>
    `${p.workers ?? 1}x(tp${p.tp ?? 1}${(p.ep ?? 1) > 1 ? `/ep${p.ep}` : ""}${p.dpAttention ? "/dpa" : ""})`;
  return o.disaggregated
    ? `P${pool(o.prefill ?? {})} D${pool(o.decode ?? {})}`
    : pool({ tp: o.tp, ep: o.ep, dpAttention: o.dpAttention, workers: o.workers });
}

/** Draft tokens and acceptance length assumed for InferenceX MTP rows, which record neither. */
export const ASSUMED_MTP_DRAFT_TOKENS = 3;
export const ASSUMED_MTP_ACCEPTANCE = 2.0;

function poolOf(row: Row, side: "prefill" | "decode", gpus: number, workers: number) {
  const perWorker = gpus / workers;
  const dpa = row[`${side}_dp_attention`] === true;
  const ep = num(row[`${side}_ep`]) ?? 1;
  // some rows list tp smaller than the GPUs per worker; the GPUs are what serve the worker
  return { tp: perWorker, ep: ep > 1 ? perWorker : 1, dpAttention: dpa, workers };
}

/**
 * Converts one InferenceX API row into a validation case, or a reason to skip it.
 * Aggregated rows run on decode_tp GPUs (the num_*_gpu fields of aggregated rows are not GPU counts);
 * disaggregated rows use num_prefill_gpu / prefill_num_workers GPUs per prefill worker, likewise decode.
 */
export function caseFromInferencexRow(row: Row): ValidationCase | SkippedRow {
  const label = `${row.hardware} ${row.framework} ${row.precision} conc ${row.conc} ${row.date ?? ""}`;
  const m = row.metrics ?? {};
  const tput = num(m.tput_per_gpu);
  const intvty = num(m.median_intvty);
  const isl = num(row.isl);
  const osl = num(row.osl);
  const conc = num(row.conc);
  if (!tput || !intvty || !isl || !osl || !conc)
    return { reason: "missing tput_per_gpu, median_intvty, isl, osl or conc", label };
  const spec =
    row.spec_method === "mtp"
      ? {
          method: "mtp" as const,
          draftTokens: ASSUMED_MTP_DRAFT_TOKENS,
          acceptanceLength: ASSUMED_MTP_ACCEPTANCE,
        }
      : undefined;
  let options: SimOptions;
  if (row.disagg === true) {
    const pw = num(row.prefill_num_workers) ?? 0;
    const dw = num(row.decode_num_workers) ?? 0;
    const pg = num(row.num_prefill_gpu) ?? 0;
    const dg = num(row.num_decode_gpu) ?? 0;
    if (pw <= 0 || dw <= 0 || pg % pw !== 0 || dg % dw !== 0)
      return { reason: "disaggregated row without a worker layout (num_workers 0)", label };
    options = {
      model: String(row.model ?? "dsr1"),
      hardware: String(row.hardware),
      disaggregated: true,
      prefill: poolOf(row, "prefill", pg, pw),
      decode: poolOf(row, "decode", dg, dw),
    };
  } else {
    const tp = num(row.decode_tp) ?? 1;
    const ep = num(row.decode_ep) ?? 1;
    options = {
      model: String(row.model ?? "dsr1"),
      hardware: String(row.hardware),
      tp,
      ep: ep > 1 ? tp : 1,
      dpAttention: row.decode_dp_attention === true,
    };
  }
  options.precision = String(row.precision ?? "fp8");
  options.framework = String(row.framework ?? "unknown");
  if (spec) options.spec = spec;
  const specLabel = spec ? "mtp" : "none";
  const topo = topologyLabel(options);
  const group = `${row.hardware} ${row.framework} ${row.precision} ${isl}/${osl} ${row.disagg ? "disagg" : "agg"} ${specLabel}`;
  return {
    group,
    configKey: `${group} ${topo}`,
    hardware: String(row.hardware),
    framework: String(row.framework),
    date: String(row.date ?? ""),
    isl,
    osl,
    concurrency: conc,
    options,
    measured: { tputPerGpu: tput, intvty },
  };
}

/** Converts a PointResult (measured or imported) into a validation case. */
export function caseFromPointResult(p: PointResult): ValidationCase | SkippedRow {
  const c = p.config;
  const label = `${c.hardware} ${c.framework} ${c.precision} conc ${c.load.concurrency ?? "?"}`;
  const tput = p.metrics.tputPerGpu;
  const intvty = p.metrics.intvty?.median;
  const conc = c.load.concurrency;
  if (!tput || !intvty || !conc)
    return { reason: "missing tputPerGpu, intvty.median or concurrency", label };
  const t = c.topology;
  const pool = (w: NonNullable<typeof t.prefill>) => ({
    tp: w.tp,
    ep: w.ep,
    pp: w.pp,
    dpAttention: w.dpAttention,
    workers: Math.max(1, w.workers),
  });
  const options: SimOptions = {
    model: c.model,
    hardware: c.hardware,
    precision: c.precision,
    framework: c.framework,
  };
  if (t.disaggregated) {
    if (!t.prefill || !t.decode)
      return { reason: "disaggregated point without pool layouts", label };
    options.disaggregated = true;
    options.prefill = pool(t.prefill);
    options.decode = pool(t.decode);
  } else {
    const d = t.decode ?? {
      tp: t.gpus,
      ep: 1,
      pp: 1,
      dpAttention: false,
      workers: 1,
      gpus: t.gpus,
    };
    Object.assign(options, {
      tp: d.tp,
      ep: d.ep,
      pp: d.pp,
      dpAttention: d.dpAttention,
      gpus: t.gpus,
    });
  }
  const sd = c.specDecoding;
  if (sd.method !== "none")
    options.spec = {
      method: sd.method === "mtp" ? "mtp" : "draft",
      draftTokens: sd.draftTokens ?? ASSUMED_MTP_DRAFT_TOKENS,
      acceptanceLength: sd.acceptanceLength ?? ASSUMED_MTP_ACCEPTANCE,
    };
  const { isl, osl } = c.workload;
  const group = `${c.hardware} ${c.framework} ${c.precision} ${isl}/${osl} ${t.disaggregated ? "disagg" : "agg"} ${sd.method}`;
  return {
    group,
    configKey: `${group} ${topologyLabel(options)}`,
    hardware: c.hardware,
    framework: c.framework,
    date: p.run.date,
    isl,
    osl,
    concurrency: conc,
    options,
    measured: { tputPerGpu: tput, intvty },
  };
}
