import type { PromSample } from "./prometheus-text.js";

/**
 * How the series of one metric (one per label set: model, DP engine, rank) make the one number a scrape records:
 * - `sum`: counters, and gauges that count (requests running or queued, tokens in use, capacity, throughput), which
 *   add up over engines;
 * - `mean`: gauges that are fractions, ratios or averages (KV-cache usage, hit and acceptance rates, acceptance
 *   lengths): two engines at 0.6 are at 0.6, not 1.2;
 * - `max`: configuration each engine reports alike (context length, block or page size, `_info` gauges).
 */
export type SeriesAggregation = "sum" | "mean" | "max";

/** Series of a histogram, a summary or a counter that declares no type. */
const COUNTER_SUFFIX = /_(?:total|sum|count)$/;
/** Fractions, ratios and averages: vLLM's `kv_cache_usage_perc`, SGLang's `token_usage` and `spec_accept_length`. */
const FRACTION =
  /[:_](?:perc|percent|usage|utilization|ratio|rate|occupancy|accept_length|acceptance_length|per_decode)$/;
/** Configuration every engine or rank reports alike, and info gauges (1, or vLLM's LoRA one a time). */
const CONSTANT =
  /[:_](?:info|context_len|context_length|block_size|page_size|migration_limit|num_steps|num_draft_tokens|(?:startup|load_weights|cuda_graph)_time(?:_seconds)?)$/;
/**
 * Labels whose series are copies of one scheduler's state: SGLang's pipeline stages each export the requests they
 * all hold (`is_stats_logging_rank` is `attn_tp_rank == 0`, whatever the `pp_rank`).
 */
const REPLICA_LABELS: ReadonlySet<string> = new Set(["pp_rank"]);
/**
 * SGLang with priority scheduling records a queue's total under `priority=""` and its breakdown under
 * `priority="<n>"` (metrics_collector.py `_log_gauge_queue_count`): the breakdown is left out.
 */
const BREAKDOWN_LABEL = "priority";

/**
 * How a metric's series combine, from its name and `# TYPE`.
 * @example seriesAggregation("vllm:kv_cache_usage_perc", "gauge") // "mean"
 * @example seriesAggregation("vllm:num_requests_running", "gauge") // "sum"
 */
export function seriesAggregation(name: string, type?: string): SeriesAggregation {
  if (isCounterLike(name, type)) return "sum";
  if (FRACTION.test(name)) return "mean";
  if (CONSTANT.test(name)) return "max";
  return "sum";
}

/**
 * The one number for the series of one metric (finite values, at least one): counters summed; gauges without
 * SGLang's per-priority breakdown, then as `seriesAggregation` says, copies of one scheduler (`pp_rank`) counted
 * once in a sum.
 * @example aggregateSeries([
 *   { name: "sglang:token_usage", labels: { dp_rank: "0" }, value: 0.6 },
 *   { name: "sglang:token_usage", labels: { dp_rank: "1" }, value: 0.6 },
 * ]) // 0.6
 */
export function aggregateSeries(samples: readonly PromSample[]): number {
  const { name, type } = samples[0]!;
  if (isCounterLike(name, type)) return sum(samples.map((s) => s.value));
  const totals = withoutBreakdown(samples);
  const values = totals.map((s) => s.value);
  switch (seriesAggregation(name, type)) {
    case "mean":
      return sum(values) / values.length;
    case "max":
      return Math.max(...values);
    case "sum":
      return sum([...replicaGroups(totals).values()].map((group) => Math.max(...group)));
  }
}

function isCounterLike(name: string, type?: string): boolean {
  if (type === "counter" || type === "histogram" || type === "summary") return true;
  return type !== "gauge" && COUNTER_SUFFIX.test(name);
}

function withoutBreakdown(samples: readonly PromSample[]): readonly PromSample[] {
  if (!samples.some((s) => s.labels[BREAKDOWN_LABEL] === "")) return samples;
  return samples.filter((s) => !s.labels[BREAKDOWN_LABEL]);
}

/** The values of `samples` by their labels other than the replica ones. */
function replicaGroups(samples: readonly PromSample[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const s of samples) {
    const key = JSON.stringify(
      Object.entries(s.labels)
        .filter(([label]) => !REPLICA_LABELS.has(label))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    const group = groups.get(key);
    if (group) group.push(s.value);
    else groups.set(key, [s.value]);
  }
  return groups;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
