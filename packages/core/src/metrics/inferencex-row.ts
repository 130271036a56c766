import type { Stats } from "../schemas/common.js";
import type { PointResult } from "../schemas/point-result.js";

/**
 * A value of an InferenceX row: mostly a number, string, boolean or null; InferenceX's `router` is an object
 * (`{ name, version }`) and an API row's `workers` a list.
 */
export type InferencexValue =
  | number
  | string
  | boolean
  | null
  | readonly unknown[]
  | { readonly [key: string]: unknown };

/** A flat row in the InferenceX result format: latencies in seconds, `*_intvty` in tokens/s/user. */
export type InferencexRow = Record<string, InferencexValue>;

const STAT_NAMES: readonly [keyof Stats, string][] = [
  ["mean", "mean"],
  ["median", "median"],
  ["std", "std"],
  ["p90", "p90"],
  ["p99", "p99"],
  ["p999", "p99.9"],
];
const METRIC_NAMES = ["ttft", "tpot", "itl", "e2el", "intvty"] as const;

/**
 * Derives the flat InferenceX-compatible row of a point. Statistics a point lacks are omitted.
 * @example toInferencexRow(point).median_intvty
 */
export function toInferencexRow(point: PointResult): InferencexRow {
  const { config, metrics } = point;
  const topo = config.topology;
  const row: InferencexRow = {
    // as InferenceX's rows: the model id or path and the model's short name, and the runner's label, so a point
    // imported from such a row comes back with its model id and label, as the same point
    model: config.modelId ?? config.model,
    infmax_model_prefix: config.model,
    hw: config.hardwareLabel ?? config.hardware,
    framework: config.framework,
    precision: config.precision,
    spec_method: config.specDecoding.method,
    isl: config.workload.isl,
    osl: config.workload.osl,
    // InferenceX's conc is a closed loop's concurrency; an open loop (rate mode) has none, and its rate and its
    // cap on requests in flight go in fields of infermark's own, which `import inferencex` reads back
    conc: config.load.mode === "concurrency" ? (config.load.concurrency ?? null) : null,
    disagg: topo.disaggregated,
    is_multinode: topo.multinode,
    prefill_tp: topo.prefill?.tp ?? null,
    prefill_pp: topo.prefill?.pp ?? null,
    prefill_ep: topo.prefill?.ep ?? null,
    prefill_dp_attention: topo.prefill?.dpAttention ?? null,
    prefill_num_workers: topo.prefill?.workers ?? null,
    decode_tp: topo.decode?.tp ?? null,
    decode_pp: topo.decode?.pp ?? null,
    decode_ep: topo.decode?.ep ?? null,
    decode_dp_attention: topo.decode?.dpAttention ?? null,
    decode_num_workers: topo.decode?.workers ?? null,
    num_prefill_gpu: topo.prefillGpus,
    num_decode_gpu: topo.decodeGpus,
    image: config.image ?? null,
    date: point.run.date,
    run_url: point.run.ciUrl ?? null,
  };
  // configuration fields InferenceX's rows have none for, in fields of infermark's own that `import inferencex` reads
  // back: two draft lengths (or KV-cache types) of one configuration stay two configurations, neither hiding the
  // other from an analysis's latest-per-level set
  if (config.frameworkVersion !== undefined) row.framework_version = config.frameworkVersion;
  if (config.kvCacheDtype !== undefined) row.kv_cache_dtype = config.kvCacheDtype;
  if (config.specDecoding.draftTokens !== undefined)
    row.spec_draft_tokens = config.specDecoding.draftTokens;
  if (config.specDecoding.acceptanceLength !== undefined)
    row.spec_acceptance_length = config.specDecoding.acceptanceLength;
  // fields of infermark's own, which `import inferencex` reads back: a point infermark measured (or simulated) comes
  // back as such, so that importing its export where it is stored finds it, not a second, "imported" copy
  if (point.run.source !== "imported") {
    row.infermark_source = point.run.source;
    // the run it belongs to, which ties the row to the stored point where the run has no CI link (`runLink`)
    if (point.run.runId !== undefined) row.infermark_run_id = point.run.runId;
    // what InferenceX's rows leave out: requests and errors, and whether the point is valid (an invalid point read
    // back as valid would be charted as a measurement), and how its energy was had
    row.infermark_requests = point.errors.requests;
    row.infermark_failed = point.errors.total;
    row.infermark_error_rate = point.errors.rate;
    row.infermark_valid = point.validity.valid;
    if (point.validity.reasons.length > 0)
      row.infermark_invalid_reasons = point.validity.reasons.join("; ");
    if (point.energy) row.infermark_energy_kind = point.energy.kind;
  }
  // InferenceX measures the random workload alone; another kind goes in fields of infermark's own, which
  // `import inferencex` reads back, so a session point does not come back as a random one
  const w = config.workload;
  if (w.kind !== "random") {
    row.workload = w.kind;
    if (w.turns !== undefined) row.turns = w.turns;
    if (w.thinkTimeMs !== undefined) row.think_time_ms = w.thinkTimeMs;
    if (w.thinkTime !== undefined) row.think_time = w.thinkTime;
    if (w.prefixLength !== undefined) row.prefix_length = w.prefixLength;
    if (w.dataset !== undefined) row.dataset = w.dataset;
    if (w.trace) {
      row.trace_file = w.trace.file;
      row.trace_sha256 = w.trace.sha256;
      row.trace_records = w.trace.records;
      row.trace_block_size = w.trace.blockSize;
      row.trace_speedup = w.trace.speedup;
    }
  }
  if (config.load.mode !== "concurrency") {
    if (config.load.mode === "trace") row.load_mode = "trace";
    if (config.load.rate !== undefined) row.request_rate = config.load.rate;
    if (config.load.concurrency !== undefined) row.max_concurrency = config.load.concurrency;
    if (config.load.arrival !== undefined) row.arrival = config.load.arrival;
    if (config.load.burstiness !== undefined) row.burstiness = config.load.burstiness;
  }
  if (metrics.tputPerGpu !== undefined) row.tput_per_gpu = metrics.tputPerGpu;
  if (metrics.outputTputPerGpu !== undefined) row.output_tput_per_gpu = metrics.outputTputPerGpu;
  if (metrics.inputTputPerGpu !== undefined) row.input_tput_per_gpu = metrics.inputTputPerGpu;
  for (const name of METRIC_NAMES) {
    const stats = metrics[name];
    if (!stats) continue;
    for (const [key, label] of STAT_NAMES) {
      const v = stats[key];
      if (v !== undefined) row[`${label}_${name}`] = v;
    }
  }
  if (point.energy?.jPerTotalToken !== undefined)
    row.joules_per_total_token = point.energy.jPerTotalToken;
  if (point.energy?.jPerInputToken !== undefined)
    row.joules_per_input_token = point.energy.jPerInputToken;
  if (point.energy?.jPerOutputToken !== undefined)
    row.joules_per_output_token = point.energy.jPerOutputToken;
  if (point.energy?.avgPowerW !== undefined) row.avg_power_w = point.energy.avgPowerW;
  writeKeptSettings(row, point.extra);
  return row;
}

/**
 * InferenceX's serving settings that a configuration has no field for, which the importer keeps in
 * `extra.inferencex` (`fromInferencexAggRow`): its router (an object), KV transfer engine and context parallel sizes.
 */
const KEPT_SETTINGS = [
  "router",
  "kv_p2p_transfer",
  ...["", "prefill_", "decode_"].flatMap((side) => [`${side}dcp_size`, `${side}pcp_size`]),
];

/**
 * Writes back what the importer keeps of a row in `extra`: the settings of `extra.inferencex` and an API row's
 * `workers`, as the row had them, so a point imported, exported and imported again keeps them. Only those: a key of
 * a hand-written `extra.inferencex` (`workload`, `infermark_source`) would be read back as the point's own.
 */
function writeKeptSettings(row: InferencexRow, extra: PointResult["extra"]): void {
  const settings = extra?.inferencex;
  if (typeof settings === "object" && settings !== null && !Array.isArray(settings)) {
    for (const key of KEPT_SETTINGS) {
      const value = (settings as Record<string, unknown>)[key];
      if (isRowValue(value)) row[key] = value;
    }
  }
  if (Array.isArray(extra?.workers) && extra.workers.length > 0) row.workers = extra.workers;
}

const isRowValue = (value: unknown): value is InferencexValue =>
  value === null || ["number", "string", "boolean", "object"].includes(typeof value);
