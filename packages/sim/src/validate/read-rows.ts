import {
  type Catalog,
  fromInferencexApiRow,
  LITTLES_LAW_TOLERANCE,
  type PointResult,
  throughputConsistency,
} from "@infermark/core";
import { defaultAcceptanceLength } from "../config/defaults.js";
import type { SimOptions } from "../config/options.js";
import {
  inferencexAggLaunch,
  inferencexDisaggMemoryFraction,
  inferencexFp8Gemm,
} from "./inferencex-launch.js";
import { inferencexMtpDraftTokens } from "./inferencex-mtp.js";
import { inferencexDecodeRunningCap } from "./inferencex-running.js";

/** One measured point to predict: its configuration as simulator options and what was measured. */
export interface ValidationCase {
  /** Group label: model, hardware, framework, precision, ISL/OSL, topology, speculative decoding. */
  group: string;
  /** The group and the worker layout: one measured curve (the calibration's hold-out split keeps it whole). */
  curveKey: string;
  /**
   * Everything the prediction depends on but concurrency: the simulator options and the mean lengths. Points of
   * one curve can differ in it (recipes that change the MTP depth with concurrency), and are then predicted apart.
   */
  configKey: string;
  hardware: string;
  framework: string;
  date: string;
  /** Nominal lengths (the group label) and the mean lengths the workload really had. */
  isl: number;
  osl: number;
  meanIsl: number;
  meanOsl: number;
  concurrency: number;
  options: SimOptions;
  measured: { tputPerGpu: number; intvty: number };
  /** Read from an InferenceX row, whose length distribution and MTP settings are assumed (above). */
  inferencex?: boolean;
}

/** Why a document could not become a case. */
export interface SkippedRow {
  reason: string;
  label: string;
}

type Row = Record<string, unknown> & { metrics?: Record<string, number> };

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

/** How `sim validate` names a layout: `1x(tp8/ep8/dpa)`, or `P1x(tp8) D1x(tp8/ep8/dpa)` when disaggregated. */
export function topologyLabel(o: Omit<SimOptions, "model" | "hardware">): string {
  const pool = (p: { tp?: number; ep?: number; dpAttention?: boolean; workers?: number }) =>
    `${p.workers ?? 1}x(tp${p.tp ?? 1}${(p.ep ?? 1) > 1 ? `/ep${p.ep}` : ""}${p.dpAttention ? "/dpa" : ""})`;
  return o.disaggregated
    ? `P${pool(o.prefill ?? {})} D${pool(o.decode ?? {})}`
    : pool({ tp: o.tp, ep: o.ep, dpAttention: o.dpAttention, workers: o.workers });
}

/**
 * Draft tokens assumed for a speculative-decoding row that records neither them nor its recipe (MTP rows
 * of InferenceX take theirs from `inferencexMtpDraftTokens`); the acceptance length follows
 * `defaultAcceptanceLength` of the draft tokens.
 */
export const ASSUMED_MTP_DRAFT_TOKENS = 3;

/**
 * InferenceX draws input and output lengths uniformly from [0.8 L, L] (its benchmark client's
 * `--random-range-ratio 0.8`); the rows do not record it, but every row's mean output length
 * ((mean E2EL - mean TTFT) / mean TPOT + 1) is 0.900 x the nominal OSL.
 */
export const ASSUMED_INFERENCEX_RANGE_RATIO = 0.8;

/**
 * Why a point whose output throughput contradicts its own concurrency, output length and E2EL (core's
 * `throughputConsistency`, Little's law) is left out of the error and the ranking: a data-quality filter on the
 * measurement alone, whatever the simulator predicts.
 */
export const INCONSISTENT_ROW = `inconsistent row: reported output throughput more than ${LITTLES_LAW_TOLERANCE}x from Little's law (concurrency x output tokens / E2EL; docs/metrics.md)`;

/**
 * The skip of a point that `throughputConsistency` flags (`INCONSISTENT_ROW`; the label names the point and gives the
 * two throughputs), or undefined when it is consistent or cannot be checked.
 */
export function inconsistentPoint(p: PointResult): SkippedRow | undefined {
  const check = throughputConsistency(p);
  if (check.kind !== "checked" || !check.flagged) return undefined;
  const c = p.config;
  return {
    reason: INCONSISTENT_ROW,
    label: `${c.hardware} ${c.framework} ${c.precision} ${c.specDecoding.method} ${c.workload.isl}/${c.workload.osl} conc ${c.load.concurrency} ${p.run.date}: ${check.detail}`,
  };
}

/**
 * Converts one InferenceX API row into a validation case, or a reason to skip it, through core's importer
 * (`fromInferencexApiRow`), so the simulator reads rows exactly as the store does: its hardware must name a GPU of
 * `catalog` (default: the built-in one).
 */
export function caseFromInferencexRow(row: Row, catalog?: Catalog): ValidationCase | SkippedRow {
  const mapped = fromInferencexApiRow(row, catalog ? { catalog } : {});
  if (!mapped.ok) {
    return {
      reason: mapped.reason,
      label: `${row.hardware} ${row.framework} ${row.precision} conc ${row.conc}`,
    };
  }
  // checked as imported, before the length distribution is assumed below: the row `import inferencex` flags
  const inconsistent = inconsistentPoint(mapped.point);
  if (inconsistent) return inconsistent;
  const w = mapped.point.config.workload;
  if (w.rangeRatio === undefined) w.rangeRatio = ASSUMED_INFERENCEX_RANGE_RATIO;
  const c = caseFromPointResult(mapped.point, { inferencexRecipe: true });
  return "reason" in c ? c : { ...c, inferencex: true };
}

/**
 * Converts a PointResult (measured or imported) into a validation case. `inferencexRecipe`: the point is an
 * InferenceX row: for DeepSeek-R1 (the model the recipes are for) its Dynamo recipe's running-request cap applies where
 * it binds (`inferencex-running.ts`), and its SGLang launch script's memory fraction and running-request cap
 * (`inferencex-launch.ts`).
 */
export function caseFromPointResult(
  p: PointResult,
  from: { inferencexRecipe?: boolean } = {},
): ValidationCase | SkippedRow {
  const c = p.config;
  const label = `${c.hardware} ${c.framework} ${c.precision} conc ${c.load.concurrency ?? "?"}`;
  const tput = p.metrics.tputPerGpu;
  const intvty = p.metrics.intvty?.median;
  const conc = c.load.concurrency;
  if (!tput || !intvty || !conc)
    return { reason: "missing tputPerGpu, intvty.median or concurrency", label };
  const t = c.topology;
  // A disaggregated pool's GPUs are what serve its workers (some rows list a tp smaller than the GPUs per worker).
  const pool = (w: NonNullable<typeof t.prefill>) => {
    const perWorker = w.gpus / w.workers;
    return {
      tp: perWorker,
      ep: w.ep > 1 ? perWorker : 1,
      pp: w.pp,
      dpAttention: w.dpAttention,
      workers: w.workers,
    };
  };
  const options: SimOptions = {
    model: c.model,
    hardware: c.hardware,
    precision: c.precision,
    framework: c.framework,
  };
  if (t.disaggregated) {
    if (!t.prefill || !t.decode)
      return { reason: "disaggregated point without pool layouts", label };
    const layoutKnown = (w: NonNullable<typeof t.prefill>) =>
      w.workers > 0 && w.gpus % w.workers === 0;
    if (!layoutKnown(t.prefill) || !layoutKnown(t.decode))
      return { reason: "disaggregated row without a worker layout (num_workers 0)", label };
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
      ep: d.ep > 1 ? d.tp : 1,
      pp: d.pp,
      dpAttention: d.dpAttention,
      gpus: t.gpus,
    });
  }
  const sd = c.specDecoding;
  if (sd.method !== "none") {
    const decodeDpAttention = Boolean(
      t.disaggregated ? options.decode?.dpAttention : options.dpAttention,
    );
    const draftTokens =
      sd.draftTokens ??
      (sd.method === "mtp"
        ? inferencexMtpDraftTokens({
            framework: c.framework,
            hardware: c.hardware,
            precision: c.precision,
            isl: c.workload.isl,
            osl: c.workload.osl,
            decodeDpAttention,
            ...(t.disaggregated && t.decode ? { decodeWorkers: t.decode.workers } : {}),
            concurrency: conc,
          })
        : ASSUMED_MTP_DRAFT_TOKENS);
    options.spec = {
      method: sd.method === "mtp" ? "mtp" : "draft",
      draftTokens,
      acceptanceLength: sd.acceptanceLength ?? defaultAcceptanceLength(draftTokens),
    };
  }
  // the recipes below are DeepSeek-R1's launch scripts: another model's row runs at the engines' defaults
  const recipe = from.inferencexRecipe === true && c.model === "dsr1";
  // a Dynamo recipe's cap on the requests a decode worker runs, where it binds (`inferencex-running.ts`); the
  // simulator's maxRunningRequests counts one DP-attention rank, so a worker's cap is shared among its ranks
  const workerCap =
    recipe && t.disaggregated && options.decode
      ? inferencexDecodeRunningCap({
          framework: c.framework,
          hardware: c.hardware,
          precision: c.precision,
          isl: c.workload.isl,
          osl: c.workload.osl,
          spec: sd.method,
          concurrency: conc,
        })
      : undefined;
  if (workerCap !== undefined) {
    const ranks = options.decode?.dpAttention ? (options.decode.tp ?? 1) : 1;
    options.engine = { maxRunningRequests: Math.max(1, Math.floor(workerCap / ranks)) };
  }
  // a Dynamo + SGLang recipe's --mem-fraction-static, where it is known (`inferencex-launch.ts`)
  const recipeFraction =
    recipe && t.disaggregated && options.prefill && options.decode
      ? inferencexDisaggMemoryFraction({
          framework: c.framework,
          hardware: c.hardware,
          precision: c.precision,
          isl: c.workload.isl,
          osl: c.workload.osl,
          prefill: {
            workers: options.prefill.workers ?? 1,
            gpusPerWorker: options.prefill.tp ?? 1,
          },
          decode: { workers: options.decode.workers ?? 1, gpusPerWorker: options.decode.tp ?? 1 },
        })
      : undefined;
  if (recipeFraction !== undefined)
    options.engine = { ...options.engine, memoryFraction: recipeFraction };
  // an aggregated SGLang row runs at its launch script's --mem-fraction-static and --max-running-requests
  // (`inferencex-launch.ts`); the script's cap counts the server, each DP-attention rank getting its share
  const launch =
    recipe && !t.disaggregated
      ? inferencexAggLaunch({
          framework: c.framework,
          hardware: c.hardware,
          precision: c.precision,
          tp: options.tp ?? 1,
          isl: c.workload.isl,
          osl: c.workload.osl,
          spec: sd.method,
        })
      : undefined;
  if (launch) {
    const ranks = options.dpAttention ? (options.tp ?? 1) : 1;
    options.engine = {
      memoryFraction: launch.memoryFraction,
      ...(launch.maxRunningRequests !== undefined
        ? { maxRunningRequests: Math.max(1, Math.floor(launch.maxRunningRequests / ranks)) }
        : {}),
    };
  }
  // a launch script or recipe that turns SGLang's JIT DeepGEMM off (`inferencex-launch.ts`)
  const fp8Gemm = recipe
    ? inferencexFp8Gemm({
        model: c.model,
        framework: c.framework,
        hardware: c.hardware,
        precision: c.precision,
        isl: c.workload.isl,
        osl: c.workload.osl,
        date: p.run.date,
      })
    : undefined;
  if (fp8Gemm) options.fp8Gemm = fp8Gemm;
  const { isl, osl } = c.workload;
  // lengths drawn uniformly from [ratio x L, L] have the mean (1 + ratio) / 2 x L
  const meanOf = (n: number) =>
    Math.max(1, Math.round((n * (1 + (c.workload.rangeRatio ?? 1))) / 2));
  const group = `${c.model} ${c.hardware} ${c.framework} ${c.precision} ${isl}/${osl} ${t.disaggregated ? "disagg" : "agg"} ${sd.method}`;
  const curveKey = `${group} ${topologyLabel(options)}`;
  const meanIsl = meanOf(isl);
  const meanOsl = meanOf(osl);
  return {
    group,
    curveKey,
    configKey: `${curveKey} ${meanIsl}/${meanOsl} ${JSON.stringify(options)}`,
    hardware: c.hardware,
    framework: c.framework,
    date: p.run.date,
    isl,
    osl,
    meanIsl,
    meanOsl,
    concurrency: conc,
    options,
    measured: { tputPerGpu: tput, intvty },
  };
}
