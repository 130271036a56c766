import type { Catalog } from "../catalog/catalog.js";
import {
  POINT_SCHEMA_ID,
  type PointMetrics,
  type PointResult,
  type Topology,
  TraceInfo,
  type Workload,
} from "../schemas/point-result.js";
import { notFixedSequence, type RowMapping, readFlatMetrics } from "./api-row.js";
import { inferencexModelKey } from "./model-key.js";
import {
  normalizeFramework,
  normalizeHardware,
  normalizeImage,
  normalizePrecision,
  toBool,
  unknownHardware,
} from "./normalize.js";
import { reportedEnergy } from "./reported-energy.js";
import { rowTopology, toInt } from "./topology.js";

/** What an agg row may not carry itself: taken from the command line or the file's location. */
export interface AggRowContext {
  /** Run date (YYYY-MM-DD or ISO date-time) when the row has no `date`. */
  date?: string;
  /** Link to the run (GitHub Actions) when the row has no `run_url`. */
  runUrl?: string;
  /** ISL/OSL when old rows leave them out (their file names carry them: `1k1k`, `8k1k`). */
  isl?: number;
  osl?: number;
  importedFrom?: string;
  /** The catalog whose GPUs the rows' `hw` may name. @default the built-in catalog */
  catalog?: Catalog;
}

const int = toInt;

/** `spec_decoding` (new rows), `spec_method`, or the old `mtp` flag; "off"/"false"/"" mean none. */
function specMethod(r: Record<string, unknown>): string {
  const raw = r.spec_decoding ?? r.spec_method;
  if (typeof raw === "string") {
    const v = raw.trim().toLowerCase();
    return v === "" || v === "off" || v === "false" || v === "none" ? "none" : v;
  }
  const mtp = r.mtp;
  if (mtp !== undefined && mtp !== null && toBool(mtp) !== false && mtp !== "off") return "mtp";
  return "none";
}

/**
 * The load of a row: InferenceX's closed loop (`conc`), or an open loop as infermark's own export writes it
 * (`request_rate`, optionally `max_concurrency`, `arrival`, `burstiness`, with `conc` null); a reason otherwise.
 */
function loadOf(r: Record<string, unknown>): PointResult["config"]["load"] | string {
  const conc = int(r.conc);
  if (conc !== undefined && conc > 0) return { mode: "concurrency", concurrency: conc };
  const rate = typeof r.request_rate === "number" ? r.request_rate : undefined;
  const cap = int(r.max_concurrency);
  if (r.load_mode === "trace")
    return {
      mode: "trace",
      ...(rate !== undefined && rate > 0 ? { rate } : {}),
      ...(cap !== undefined && cap > 0 ? { concurrency: cap } : {}),
    };
  if (rate === undefined || !(rate > 0)) return "no concurrency (conc)";
  const arrival = ["poisson", "gamma", "constant"].find((a) => a === r.arrival) as
    | "poisson"
    | "gamma"
    | "constant"
    | undefined;
  const burstiness =
    typeof r.burstiness === "number" && r.burstiness > 0 ? r.burstiness : undefined;
  return {
    mode: "rate",
    rate,
    ...(cap !== undefined && cap > 0 ? { concurrency: cap } : {}),
    ...(arrival ? { arrival } : {}),
    ...(burstiness !== undefined ? { burstiness } : {}),
  };
}

/**
 * The workload of a row: InferenceX's random one, or another kind as infermark's own export writes it (`workload`,
 * and for sessions `turns`, `think_time_ms`, `think_time`; `prefix_length`, `dataset`).
 */
function workloadOf(r: Record<string, unknown>, isl: number, osl: number): Workload {
  const kind = typeof r.workload === "string" && r.workload.trim() ? r.workload.trim() : "random";
  if (kind === "random") return { kind, isl, osl };
  const turns = int(r.turns);
  const thinkTimeMs =
    typeof r.think_time_ms === "number" && r.think_time_ms >= 0 ? r.think_time_ms : undefined;
  const thinkTime = ["fixed", "exponential"].find((t) => t === r.think_time) as
    | "fixed"
    | "exponential"
    | undefined;
  const prefixLength = int(r.prefix_length);
  return {
    kind,
    isl,
    osl,
    ...(turns !== undefined && turns > 0 ? { turns } : {}),
    ...(thinkTimeMs !== undefined ? { thinkTimeMs } : {}),
    ...(thinkTime ? { thinkTime } : {}),
    ...(prefixLength !== undefined && prefixLength >= 0 ? { prefixLength } : {}),
    ...(typeof r.dataset === "string" && r.dataset ? { dataset: r.dataset } : {}),
    ...traceOf(r),
  };
}

/** A trace replay's file and how it was replayed, from infermark's `trace_*` row fields (all of them, or none). */
function traceOf(r: Record<string, unknown>): Pick<Workload, "trace"> {
  const trace = TraceInfo.safeParse({
    file: r.trace_file,
    sha256: r.trace_sha256,
    records: r.trace_records,
    blockSize: r.trace_block_size,
    speedup: r.trace_speedup,
  });
  return trace.success ? { trace: trace.data } : {};
}

/**
 * Speculative decoding of a row: its method, and the draft length and acceptance length that infermark's own export
 * writes (`spec_draft_tokens`, `spec_acceptance_length`), which InferenceX's rows do not carry.
 */
function specDecodingOf(r: Record<string, unknown>): PointResult["config"]["specDecoding"] {
  const draftTokens = int(r.spec_draft_tokens);
  const acceptance = r.spec_acceptance_length;
  return {
    method: specMethod(r),
    ...(draftTokens !== undefined && draftTokens >= 0 ? { draftTokens } : {}),
    ...(typeof acceptance === "number" && Number.isFinite(acceptance) && acceptance > 0
      ? { acceptanceLength: acceptance }
      : {}),
  };
}

/** A non-empty text field of infermark's own export (`framework_version`, `kv_cache_dtype`), else undefined. */
const ownText = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() ? value : undefined;

/**
 * Topology of a new-shape row (prefill_tp, decode_tp, num_prefill_gpu, ...) or a single-node one (tp, ep,
 * dp_attention, and since 2026-07 pp, dcp_size, pcp_size). `metrics` are the row's (`rowTopology` reads the split
 * of the first disaggregated GB200 rows from them).
 */
function topologyOf(
  r: Record<string, unknown>,
  disaggregated: boolean,
  metrics: PointMetrics,
): Topology | string {
  const multinode = toBool(r.is_multinode) ?? false;
  if ("prefill_tp" in r || "num_prefill_gpu" in r) return rowTopology(r, disaggregated, metrics);
  const tp = int(r.tp);
  if (!tp || tp <= 0) return "no parallelism (tp, or prefill_tp/decode_tp)";
  // InferenceX divides throughput by tp x pp x pcp_size: that is the GPU count (expert parallelism runs inside the
  // TP group, decode context parallelism reuses its GPUs); rows before pp and pcp_size serve on tp GPUs
  const pp = int(r.pp) || 1;
  const gpus = tp * pp * (int(r.pcp_size) || 1);
  const pool = {
    tp,
    ep: int(r.ep) || 1,
    pp,
    dpAttention: toBool(r.dp_attention) ?? false,
    workers: 1,
    gpus,
  };
  return {
    disaggregated,
    multinode,
    gpus,
    prefillGpus: gpus,
    decodeGpus: gpus,
    prefill: pool,
    decode: { ...pool },
  };
}

/** Serving settings of InferenceX's rows that a PointConfig has no field for, kept in `extra.inferencex`. */
const UNMAPPED_SETTINGS = ["router", "kv_p2p_transfer"] as const;
const CONTEXT_PARALLEL = ["", "prefill_", "decode_"].flatMap((side) =>
  ["dcp_size", "pcp_size"].map((k) => `${side}${k}`),
);

/**
 * The serving settings of a row that a point's configuration cannot hold: its router, KV transfer engine, and context
 * parallel sizes other than 1 (pcp_size counts in the GPUs already). Undefined when there are none.
 */
function unmappedSettings(r: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept: Record<string, unknown> = {};
  for (const k of UNMAPPED_SETTINGS)
    if (r[k] !== undefined && r[k] !== null && r[k] !== "") kept[k] = r[k];
  for (const k of CONTEXT_PARALLEL) {
    const size = int(r[k]);
    if (size !== undefined && size !== 1) kept[k] = size;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/**
 * Why a heterogeneous row (`prefill_hw` and `decode_hw` name different GPUs) is skipped; undefined for a row
 * without them, or with one GPU on both sides.
 */
function heterogeneous(r: Record<string, unknown>, catalog?: Catalog): string | undefined {
  if (typeof r.prefill_hw !== "string" || typeof r.decode_hw !== "string") return undefined;
  const gpu = (label: string) => normalizeHardware(label, catalog) ?? label.trim().toLowerCase();
  if (gpu(r.prefill_hw) === gpu(r.decode_hw)) return undefined;
  return `heterogeneous hardware (prefill on "${r.prefill_hw}", decode on "${r.decode_hw}"): a point has one GPU type`;
}

/**
 * The errors and validity of a row: as infermark's own export writes them (`infermark_requests`, `infermark_failed`,
 * `infermark_error_rate`, `infermark_valid`, `infermark_invalid_reasons`), else none and valid, as InferenceX's
 * rows (which carry neither) are read.
 */
function ownFields(r: Record<string, unknown>): Pick<PointResult, "errors" | "validity"> {
  const count = (k: string) =>
    typeof r[k] === "number" && Number.isInteger(r[k]) && (r[k] as number) >= 0
      ? (r[k] as number)
      : 0;
  const rate = typeof r.infermark_error_rate === "number" ? r.infermark_error_rate : 0;
  const reasons =
    typeof r.infermark_invalid_reasons === "string" && r.infermark_invalid_reasons
      ? r.infermark_invalid_reasons.split("; ")
      : [];
  return {
    errors: {
      total: count("infermark_failed"),
      requests: count("infermark_requests"),
      rate: Number.isFinite(rate) && rate >= 0 && rate <= 1 ? rate : 0,
      byCategory: {},
    },
    validity: { valid: r.infermark_valid !== false, reasons },
  };
}

/**
 * Maps one row of an InferenceX benchmark artifact (`agg_bmk.json`, per-job `agg_*.json`) to an imported
 * PointResult. Both shapes are read: old rows (`tp`, `ep`, `dp_attention`) and new rows (`prefill_tp`, `decode_tp`, ...,
 * `num_prefill_gpu`, `num_decode_gpu`, `is_multinode`). Latencies are in seconds and
 * `*_intvty` in tokens/s/user, as the artifacts write them.
 * @example fromInferencexAggRow(row, { date: "2025-12-19", runUrl: "https://github.com/.../runs/1" })
 */
export function fromInferencexAggRow(row: unknown, context: AggRowContext = {}): RowMapping {
  if (typeof row !== "object" || row === null || Array.isArray(row))
    return { ok: false, reason: "not an object" };
  const r = row as Record<string, unknown>;
  // AgentX rows (nested request_metrics, no ISL/OSL) come in agg_bmk.json beside the fixed-sequence ones
  if (typeof r.scenario_type === "string" && r.scenario_type !== "fixed-seq-len")
    return { ok: false, reason: notFixedSequence(`an ${r.scenario_type} row`) };
  if (typeof r.hw !== "string" || !r.hw.trim()) return { ok: false, reason: "no hw" };
  const hardware = normalizeHardware(r.hw, context.catalog);
  if (!hardware) return { ok: false, reason: unknownHardware(r.hw) };
  const mixed = heterogeneous(r, context.catalog);
  if (mixed) return { ok: false, reason: mixed };
  const model = inferencexModelKey(r.infmax_model_prefix, r.model, context.catalog);
  if (!model)
    return {
      ok: false,
      reason: `unknown model "${String(r.model ?? "")}" (no infmax_model_prefix)`,
    };
  if (typeof r.framework !== "string" || !r.framework.trim())
    return { ok: false, reason: "no framework" };
  if (typeof r.precision !== "string" || !r.precision.trim())
    return { ok: false, reason: "no precision" };
  const isl = int(r.isl) ?? context.isl;
  const osl = int(r.osl) ?? context.osl;
  if (isl === undefined || osl === undefined) return { ok: false, reason: "no isl/osl" };
  const load = loadOf(r);
  if (typeof load === "string") return { ok: false, reason: load };
  const date = typeof r.date === "string" && r.date ? r.date : context.date;
  if (!date)
    return {
      ok: false,
      reason: "no date (give --date, or keep the file under a folder named by date)",
    };
  const { framework, disaggregated: aliasDisagg } = normalizeFramework(r.framework);
  const disaggregated = aliasDisagg ?? toBool(r.disagg) ?? false;
  // the metrics first: the first disaggregated GB200 rows' GPU split is read from their per-GPU throughputs
  const metrics = readFlatMetrics(r);
  const topology = topologyOf(r, disaggregated, metrics);
  if (typeof topology === "string") return { ok: false, reason: topology };
  if (metrics.tputPerGpu === undefined) return { ok: false, reason: "no tput_per_gpu" };
  const runUrl = typeof r.run_url === "string" && r.run_url ? r.run_url : context.runUrl;
  const image = normalizeImage(typeof r.image === "string" ? r.image : undefined);
  const frameworkVersion = ownText(r.framework_version);
  const kvCacheDtype = ownText(r.kv_cache_dtype);
  const point: PointResult = {
    schema: POINT_SCHEMA_ID,
    run: {
      // infermark's own export names the source of a point it measured or simulated; InferenceX's rows are imported
      source:
        r.infermark_source === "measured" || r.infermark_source === "simulated"
          ? r.infermark_source
          : "imported",
      date,
      ...(runUrl ? { ciUrl: runUrl } : {}),
      ...(typeof r.infermark_run_id === "string" && r.infermark_run_id
        ? { runId: r.infermark_run_id }
        : {}),
      ...(context.importedFrom ? { importedFrom: context.importedFrom } : {}),
    },
    config: {
      model,
      ...(typeof r.model === "string" && r.model ? { modelId: r.model } : {}),
      hardware,
      hardwareLabel: r.hw,
      framework,
      ...(frameworkVersion ? { frameworkVersion } : {}),
      ...(image ? { image } : {}),
      precision: normalizePrecision(r.precision),
      ...(kvCacheDtype ? { kvCacheDtype } : {}),
      specDecoding: specDecodingOf(r),
      topology,
      workload: workloadOf(r, isl, osl),
      load,
    },
    metrics,
    ...ownFields(r),
  };
  const energy = reportedEnergy(r, disaggregated);
  // infermark's own export says how the energy was had; InferenceX's rows report it
  if (energy)
    point.energy =
      r.infermark_energy_kind === "measured" ? { ...energy, kind: "measured" } : energy;
  const settings = unmappedSettings(r);
  if (Array.isArray(r.workers) && r.workers.length > 0) point.extra = { workers: r.workers };
  if (settings) point.extra = { ...point.extra, inferencex: settings };
  return { ok: true, point };
}
