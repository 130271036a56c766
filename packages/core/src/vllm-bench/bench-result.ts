import type { Catalog } from "../catalog/catalog.js";
import type { RowMapping } from "../inferencex/api-row.js";
import { inferencexModelKey } from "../inferencex/model-key.js";
import {
  normalizeFramework,
  normalizeHardware,
  normalizePrecision,
  unknownHardware,
} from "../inferencex/normalize.js";
import { toInt } from "../inferencex/topology.js";
import { DEFAULT_MAX_ERROR_RATE } from "../metrics/aggregate.js";
import { simpleTopology, withPoolLayout } from "../metrics/build-point.js";
import { mapStats } from "../metrics/stats.js";
import {
  type Load,
  POINT_SCHEMA_ID,
  type PointMetrics,
  type PointResult,
  type Topology,
} from "../schemas/point-result.js";
import { detailedStats, mergeStats, readVllmStats, VLLM_METRICS } from "./result-stats.js";
import { vllmRunDate } from "./run-date.js";

/** What a `vllm bench serve` result does not say about the deployment it measured: the import's flags. */
export interface VllmBenchContext {
  /** GPU: a catalog key or a label that starts with one (`h200`, `h200-sxm`). */
  hardware: string;
  /** GPUs serving the endpoint (aggregated), or the sum of `prefillGpus` and `decodeGpus`. */
  gpus?: number;
  prefillGpus?: number;
  decodeGpus?: number;
  /** Layout of both pools, when known. */
  tp?: number;
  ep?: number;
  dpAttention?: boolean;
  framework: string;
  frameworkVersion?: string;
  image?: string;
  precision: string;
  /** Catalog key of the model. @default the catalog model `model_id` names, else `model_id` */
  model?: string;
  /** Nominal lengths. @default the result's tokens per completed request, rounded (`nominalLengths`) */
  isl?: number;
  osl?: number;
  /** @default "random" */
  workload?: string;
  /** @default "none" */
  specDecoding?: string;
  runUrl?: string;
  /** UTC offset of the host that ran the benchmark (`+02:00`, `Z`), appended to its local `date`. */
  utcOffset?: string;
  /** `run.importedFrom` (`vllm:<file name>`). */
  importedFrom?: string;
  /**
   * `run.runId`: which `vllm bench serve` invocation this result is, whatever the flags say about it (`import vllm`
   * gives a hash of the result's own fields), so a re-import with corrected flags can find the point it replaces.
   */
  runId?: string;
  catalog?: Catalog;
}

/** Nominal ISL/OSL of a result, and where each came from. */
export interface NominalLengths {
  isl?: number;
  osl?: number;
  /** "flag" when given, "mean" when derived from the result's token totals per completed request */
  islFrom: "flag" | "mean";
  oslFrom: "flag" | "mean";
}

const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;

/**
 * The nominal ISL/OSL of a result: the context's, else `total_input_tokens` and `total_output_tokens` per completed
 * request, rounded (what a random workload with a fixed length and `--ignore-eos` gives exactly).
 * @example nominalLengths({ completed: 4, total_input_tokens: 4096, total_output_tokens: 512 }, {}) // 1024/128, "mean"
 */
export function nominalLengths(
  result: Record<string, unknown>,
  context: Pick<VllmBenchContext, "isl" | "osl">,
): NominalLengths {
  const completed = toInt(result.completed);
  const perRequest = (total: unknown) => {
    const t = num(total);
    return completed && completed > 0 && t !== undefined ? Math.round(t / completed) : undefined;
  };
  return {
    isl: context.isl ?? perRequest(result.total_input_tokens),
    osl: context.osl ?? perRequest(result.total_output_tokens),
    islFrom: context.isl !== undefined ? "flag" : "mean",
    oslFrom: context.osl !== undefined ? "flag" : "mean",
  };
}

/**
 * The load of a result: an open loop at `request_rate` (Poisson at burstiness 1, else gamma; `max_concurrency` its
 * cap), or with `request_rate` "inf" every request sent at once, held to `max_concurrency` in flight: a closed loop
 * at that concurrency, or at `num_prompts` without a cap. A reason for a ramp-up run, which has no one level.
 */
function loadOf(r: Record<string, unknown>, requests: number | undefined): Load | string {
  if (typeof r.ramp_up_strategy === "string")
    return `a ramp-up run (ramp_up_strategy ${r.ramp_up_strategy}): no single load level`;
  const cap = toInt(r.max_concurrency);
  const rate = num(r.request_rate);
  const common = {
    ...(requests !== undefined ? { requests } : {}),
    ...(num(r.duration) && (r.duration as number) > 0 ? { durationS: r.duration as number } : {}),
  };
  if (rate !== undefined && rate > 0) {
    // an infinite burstiness (Python's JSON writes Infinity, read as "inf") is vLLM's constant spacing
    if (r.burstiness === "inf")
      return {
        mode: "rate",
        rate,
        ...(cap !== undefined && cap > 0 ? { concurrency: cap } : {}),
        arrival: "constant",
        ...common,
      };
    const burstiness = num(r.burstiness) ?? 1;
    return {
      mode: "rate",
      rate,
      ...(cap !== undefined && cap > 0 ? { concurrency: cap } : {}),
      arrival: burstiness === 1 ? "poisson" : "gamma",
      ...(burstiness > 0 ? { burstiness } : {}),
      ...common,
    };
  }
  const concurrency = cap !== undefined && cap > 0 ? cap : requests;
  if (!concurrency || concurrency <= 0)
    return "no load level (request_rate inf without max_concurrency or num_prompts)";
  return { mode: "concurrency", concurrency, ...common };
}

/** The topology the context's GPU counts and layout give (the layout the same on both pools). */
function topologyOf(c: VllmBenchContext): Topology | string {
  if (c.gpus === undefined && c.prefillGpus === undefined && c.decodeGpus === undefined)
    return "no GPU count (--gpus)";
  return withPoolLayout(
    simpleTopology({ total: c.gpus, prefill: c.prefillGpus, decode: c.decodeGpus }),
    c,
  );
}

/** Whether a JSON document is a `vllm bench serve` result (its `date`, `model_id` and throughput fields). */
export function isVllmBenchResult(doc: unknown): boolean {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return false;
  const r = doc as Record<string, unknown>;
  return "model_id" in r && "total_token_throughput" in r && "completed" in r;
}

/**
 * Maps one `vllm bench serve --save-result` result (also `benchmarks/benchmark_serving.py`'s, the format InferenceX's
 * raw results have) to an imported PointResult. Latencies are read from `{mean,median,std,p90,p99,p99.9}_<m>_ms`
 * (milliseconds, stored in seconds); with `--save-detailed`'s per-request arrays, the statistics the result did not
 * write are computed from them (`detailedStats`). Throughputs per GPU follow METRICS.md: total over all GPUs, input
 * over prefill GPUs, output over decode GPUs; interactivity is 1 / TPOT per statistic. Failed requests are
 * `failed` (else `num_prompts - completed`); a point with more than 5% failed is invalid, as a measured one.
 * @example fromVllmBenchResult(json, { hardware: "h200", gpus: 8, framework: "vllm", precision: "fp8" })
 */
export function fromVllmBenchResult(result: unknown, context: VllmBenchContext): RowMapping {
  if (!isVllmBenchResult(result))
    return {
      ok: false,
      reason: "not a vllm bench serve result (model_id, completed, total_token_throughput)",
    };
  const r = result as Record<string, unknown>;
  const hardware = normalizeHardware(context.hardware, context.catalog);
  if (!hardware) return { ok: false, reason: unknownHardware(context.hardware) };
  const date = vllmRunDate(r.date, context.utcOffset);
  if (!date) return { ok: false, reason: `date "${String(r.date)}" is not vLLM's %Y%m%d-%H%M%S` };
  if (typeof r.model_id !== "string" || !r.model_id.trim())
    return { ok: false, reason: "no model_id" };
  const completed = toInt(r.completed);
  const duration = num(r.duration);
  if (completed === undefined || completed < 0) return { ok: false, reason: "no completed count" };
  if (completed === 0) return { ok: false, reason: "no request completed" };
  if (duration === undefined || duration <= 0) return { ok: false, reason: "no duration" };
  const { isl, osl } = nominalLengths(r, context);
  if (isl === undefined || osl === undefined)
    return { ok: false, reason: "no isl/osl (give --isl and --osl)" };
  const requests = toInt(r.num_prompts);
  const load = loadOf(r, requests);
  if (typeof load === "string") return { ok: false, reason: load };
  const topology = topologyOf(context);
  if (typeof topology === "string") return { ok: false, reason: topology };

  const detailed = detailedStats(r, completed);
  const input = num(r.total_input_tokens);
  const output = num(r.total_output_tokens);
  const total = num(r.total_token_throughput);
  const outputRate = num(r.output_throughput);
  const inputRate = input !== undefined ? input / duration : undefined;
  const metrics: PointMetrics = {
    completed,
    durationS: duration,
    ...(input !== undefined ? { inputTokens: input } : {}),
    ...(output !== undefined ? { outputTokens: output } : {}),
    ...(num(r.request_throughput) !== undefined
      ? { requestThroughput: r.request_throughput as number }
      : {}),
    ...(inputRate !== undefined ? { inputThroughput: inputRate } : {}),
    ...(outputRate !== undefined ? { outputThroughput: outputRate } : {}),
    ...(total !== undefined ? { totalThroughput: total } : {}),
    ...(total !== undefined ? { tputPerGpu: total / topology.gpus } : {}),
    ...(inputRate !== undefined ? { inputTputPerGpu: inputRate / topology.prefillGpus } : {}),
    ...(outputRate !== undefined ? { outputTputPerGpu: outputRate / topology.decodeGpus } : {}),
  };
  for (const name of VLLM_METRICS) {
    const stats = mergeStats(readVllmStats(r, name), detailed?.metrics[name]);
    if (stats) metrics[name] = stats;
  }
  const intvty = mapStats(metrics.tpot, (x) => 1 / x);
  if (intvty && Object.keys(intvty).length > 0) metrics.intvty = intvty;

  // `failed` since vLLM 0.10; before it, every prompt was sent once, so the rest of num_prompts failed
  const failedCount =
    toInt(r.failed) ?? (requests !== undefined ? Math.max(0, requests - completed) : 0);
  const all = completed + failedCount;
  const rate = all > 0 ? failedCount / all : 0;
  const reasons =
    rate > DEFAULT_MAX_ERROR_RATE
      ? [
          `error rate ${(rate * 100).toFixed(1)}% exceeds ${DEFAULT_MAX_ERROR_RATE * 100}% (${failedCount} of ${all} requests failed)`,
        ]
      : [];
  const { framework } = normalizeFramework(context.framework);
  const model =
    context.model ?? inferencexModelKey(undefined, r.model_id, context.catalog) ?? r.model_id;
  const acceptance = num(r.spec_decode_acceptance_length);
  const point: PointResult = {
    schema: POINT_SCHEMA_ID,
    run: {
      source: "imported",
      date,
      ...(context.runUrl ? { ciUrl: context.runUrl } : {}),
      ...(context.runId ? { runId: context.runId } : {}),
      ...(context.importedFrom ? { importedFrom: context.importedFrom } : {}),
    },
    config: {
      model,
      modelId: r.model_id,
      hardware,
      ...(context.hardware !== hardware ? { hardwareLabel: context.hardware } : {}),
      framework,
      ...(context.frameworkVersion ? { frameworkVersion: context.frameworkVersion } : {}),
      ...(context.image ? { image: context.image } : {}),
      precision: normalizePrecision(context.precision),
      specDecoding: {
        method: context.specDecoding ?? "none",
        ...(context.specDecoding && context.specDecoding !== "none" && acceptance && acceptance > 0
          ? { acceptanceLength: acceptance }
          : {}),
      },
      topology,
      workload: {
        kind: context.workload ?? "random",
        isl,
        osl,
        ...(detailed?.inputLengths ? { achievedIsl: detailed.inputLengths } : {}),
      },
      load,
    },
    metrics,
    errors: {
      total: failedCount,
      requests: all,
      rate,
      byCategory: {},
    },
    validity: { valid: reasons.length === 0, reasons },
  };
  return { ok: true, point };
}
