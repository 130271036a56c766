import type { Catalog } from "../catalog/catalog.js";
import { fromInferencexApiRow, type RowMapping } from "./api-row.js";

/** Columns of `benchmark_results_raw.csv` that are not metrics. */
const RESULT_COLUMNS = new Set([
  "id",
  "workflow_run_id",
  "config_id",
  "benchmark_type",
  "date",
  "isl",
  "osl",
  "conc",
  "image",
  "metrics",
  "error",
  "server_log_id",
  "run_url",
  "html_url",
  "workers",
]);

/** PostgreSQL CSV booleans (`t`/`f`) and the usual spellings. */
const csvBool = (v: string | undefined): boolean | undefined => {
  const s = v?.trim().toLowerCase();
  if (s === "t" || s === "true" || s === "1") return true;
  if (s === "f" || s === "false" || s === "0" || s === "") return false;
  return undefined;
};

/** Reads the metrics of a dump row: a `metrics` JSON column, or flat numeric columns. */
function dumpMetrics(result: Readonly<Record<string, string>>): Record<string, unknown> | string {
  if (result.metrics !== undefined && result.metrics.trim() !== "") {
    try {
      const parsed = JSON.parse(result.metrics) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        return "metrics is not a JSON object";
      return parsed as Record<string, unknown>;
    } catch {
      return "metrics is not valid JSON";
    }
  }
  const flat: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result)) {
    if (RESULT_COLUMNS.has(k) || v.trim() === "") continue;
    const n = Number(v);
    if (Number.isFinite(n)) flat[k] = n;
  }
  return flat;
}

/** Context of a dump: run links by workflow run id (from `workflow_runs.csv`), or one link for all. */
export interface DumpRowContext {
  runUrls?: ReadonlyMap<string, string>;
  runUrl?: string;
  importedFrom?: string;
  /** The catalog whose GPUs the configs' `hardware` may name. @default the built-in catalog */
  catalog?: Catalog;
}

/**
 * Maps one row of the InferenceX database dump (`benchmark_results_raw.csv`) joined with its row of
 * `configs.csv` (by `config_id`) to an imported PointResult. Failed benchmarks (`error` set) and rows of
 * other benchmark types than `single_turn` are skipped with the reason.
 * @example fromInferencexDumpRow(resultRow, configsById.get(resultRow.config_id))
 */
export function fromInferencexDumpRow(
  result: Readonly<Record<string, string>>,
  config: Readonly<Record<string, string>> | undefined,
  context: DumpRowContext = {},
): RowMapping {
  if (!config)
    return { ok: false, reason: `config_id ${result.config_id ?? "(none)"} is not in configs.csv` };
  if (result.error?.trim())
    return { ok: false, reason: `failed benchmark: ${result.error.trim()}` };
  const type = result.benchmark_type?.trim();
  if (type && type !== "single_turn")
    return { ok: false, reason: `benchmark_type ${type} is not supported` };
  const metrics = dumpMetrics(result);
  if (typeof metrics === "string") return { ok: false, reason: metrics };
  const runUrl =
    result.run_url?.trim() ||
    result.html_url?.trim() ||
    context.runUrls?.get(result.workflow_run_id ?? "") ||
    context.runUrl;
  let workers: unknown = null;
  if (result.workers?.trim()) {
    try {
      workers = JSON.parse(result.workers);
    } catch {
      workers = null;
    }
  }
  const apiRow: Record<string, unknown> = {
    hardware: config.hardware,
    framework: config.framework,
    model: config.model,
    precision: config.precision,
    spec_method: config.spec_method || "none",
    disagg: csvBool(config.disagg),
    is_multinode: csvBool(config.is_multinode),
    prefill_tp: config.prefill_tp,
    prefill_ep: config.prefill_ep,
    prefill_dp_attention: csvBool(config.prefill_dp_attention),
    prefill_num_workers: config.prefill_num_workers,
    decode_tp: config.decode_tp,
    decode_ep: config.decode_ep,
    decode_dp_attention: csvBool(config.decode_dp_attention),
    decode_num_workers: config.decode_num_workers,
    num_prefill_gpu: config.num_prefill_gpu,
    num_decode_gpu: config.num_decode_gpu,
    isl: result.isl,
    osl: result.osl,
    conc: result.conc,
    image: result.image?.trim() || null,
    metrics,
    workers,
    date: result.date?.trim() || undefined,
    run_url: runUrl || undefined,
  };
  return fromInferencexApiRow(apiRow, {
    ...(context.importedFrom ? { importedFrom: context.importedFrom } : {}),
    ...(context.catalog ? { catalog: context.catalog } : {}),
  });
}
