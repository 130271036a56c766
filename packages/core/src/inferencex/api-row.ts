import type { Catalog } from "../catalog/catalog.js";
import type { Stats } from "../schemas/common.js";
import type { PointMetrics, PointResult } from "../schemas/point-result.js";
import { POINT_SCHEMA_ID } from "../schemas/point-result.js";
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

/**
 * The catalog key of an API row's `model`: a catalog key or Hugging Face id as is, InferenceX's own
 * model names through their aliases (`gptoss` -> `gptoss120b`), anything else lower-cased as given.
 */
function apiModelKey(model: string, catalog?: Catalog): string {
  return (
    inferencexModelKey(undefined, model, catalog) ?? inferencexModelKey(model, undefined) ?? model
  );
}

/**
 * Why a row of another benchmark than InferenceX's fixed-sequence one (an AgentX trace replay) is skipped.
 * @example notFixedSequence("benchmark_type agentic_traces")
 */
export const notFixedSequence = (what: string) =>
  `${what} (AgentX trace replay): infermark imports InferenceX's fixed ISL/OSL rows`;

/** The outcome of mapping one external row: a PointResult, or the reason it was skipped. */
export type RowMapping = { ok: true; point: PointResult } | { ok: false; reason: string };

const STAT_PREFIXES: readonly [string, keyof Stats][] = [
  ["mean", "mean"],
  ["median", "median"],
  ["std", "std"],
  ["p90", "p90"],
  ["p99", "p99"],
  ["p99.9", "p999"],
];

/** Reads `{mean,median,std,p90,p99,p99.9}_<name>` fields of a flat metrics object into Stats. */
export function readFlatStats(metrics: Record<string, unknown>, name: string): Stats | undefined {
  const stats: Stats = {};
  let any = false;
  for (const [prefix, key] of STAT_PREFIXES) {
    const v = metrics[`${prefix}_${name}`];
    if (typeof v === "number" && Number.isFinite(v)) {
      stats[key] = v;
      any = true;
    }
  }
  return any ? stats : undefined;
}

/** Reads the flat InferenceX metric fields (throughput per GPU and latency statistics) into PointMetrics. */
export function readFlatMetrics(m: Record<string, unknown>): PointMetrics {
  const num = (k: string) =>
    typeof m[k] === "number" && Number.isFinite(m[k]) ? (m[k] as number) : undefined;
  const metrics: PointMetrics = {};
  const tput = num("tput_per_gpu");
  const input = num("input_tput_per_gpu");
  const output = num("output_tput_per_gpu");
  if (tput !== undefined) metrics.tputPerGpu = tput;
  if (input !== undefined) metrics.inputTputPerGpu = input;
  if (output !== undefined) metrics.outputTputPerGpu = output;
  for (const name of ["ttft", "tpot", "itl", "e2el", "intvty"] as const) {
    const stats = readFlatStats(m, name);
    if (stats) metrics[name] = stats;
  }
  return metrics;
}

const int = toInt;

/**
 * Maps one row of the InferenceX results API (as in examples/data/inferencex) to an imported PointResult. Its
 * hardware must name a GPU of `options.catalog` (default: the built-in catalog).
 * @example fromInferencexApiRow(row, { importedFrom: "benchmarks.json" })
 */
export function fromInferencexApiRow(
  row: unknown,
  options: { importedFrom?: string; catalog?: Catalog } = {},
): RowMapping {
  if (typeof row !== "object" || row === null || Array.isArray(row))
    return { ok: false, reason: "not an object" };
  const r = row as Record<string, unknown>;
  const metricsRaw = r.metrics;
  if (typeof metricsRaw !== "object" || metricsRaw === null)
    return { ok: false, reason: "no metrics object" };
  const m = metricsRaw as Record<string, unknown>;
  // the API serves AgentX points beside the fixed-sequence ones (single_turn), with no ISL/OSL
  if (typeof r.benchmark_type === "string" && r.benchmark_type !== "single_turn")
    return { ok: false, reason: notFixedSequence(`benchmark_type ${r.benchmark_type}`) };
  if (typeof r.hardware !== "string") return { ok: false, reason: "no hardware" };
  const hardware = normalizeHardware(r.hardware, options.catalog);
  if (!hardware) return { ok: false, reason: unknownHardware(r.hardware) };
  if (typeof r.framework !== "string") return { ok: false, reason: "no framework" };
  if (typeof r.model !== "string") return { ok: false, reason: "no model" };
  if (typeof r.precision !== "string") return { ok: false, reason: "no precision" };
  const isl = int(r.isl);
  const osl = int(r.osl);
  const conc = int(r.conc);
  if (isl === undefined || osl === undefined) return { ok: false, reason: "no isl/osl" };
  if (conc === undefined || conc <= 0) return { ok: false, reason: "no concurrency (conc)" };
  if (typeof r.date !== "string") return { ok: false, reason: "no date" };
  const { framework, disaggregated: aliasDisagg } = normalizeFramework(r.framework);
  const disaggregated = aliasDisagg ?? toBool(r.disagg) ?? false;
  const metrics = readFlatMetrics(m);
  const topology = rowTopology(r, disaggregated, metrics);
  if (typeof topology === "string") return { ok: false, reason: topology };
  if (metrics.tputPerGpu === undefined) return { ok: false, reason: "no tput_per_gpu" };
  const point: PointResult = {
    schema: POINT_SCHEMA_ID,
    run: {
      source: "imported",
      date: r.date,
      ...(typeof r.run_url === "string" ? { ciUrl: r.run_url } : {}),
      ...(options.importedFrom ? { importedFrom: options.importedFrom } : {}),
    },
    config: {
      model: apiModelKey(r.model, options.catalog),
      hardware,
      hardwareLabel: r.hardware,
      framework,
      precision: normalizePrecision(r.precision),
      specDecoding: { method: typeof r.spec_method === "string" ? r.spec_method : "none" },
      topology,
      workload: { kind: "random", isl, osl },
      load: { mode: "concurrency", concurrency: conc },
      ...(normalizeImage(r.image as string | null)
        ? { image: normalizeImage(r.image as string) }
        : {}),
    },
    metrics,
    errors: { total: 0, requests: 0, rate: 0, byCategory: {} },
    validity: { valid: true, reasons: [] },
  };
  const energy = reportedEnergy(m, topology.disaggregated);
  if (energy) point.energy = energy;
  if (Array.isArray(r.workers)) point.extra = { workers: r.workers };
  return { ok: true, point };
}
