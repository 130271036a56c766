import { summarize } from "../metrics/stats.js";
import type { Stats } from "../schemas/common.js";

/** The latency distributions a `vllm bench serve` result reports, each as `{mean,median,std,pN}_<name>_ms`. */
export const VLLM_METRICS = ["ttft", "tpot", "itl", "e2el"] as const;
export type VllmMetric = (typeof VLLM_METRICS)[number];

/**
 * vLLM's statistic fields and the Stats key each is: `--metric-percentiles` writes `p<N>_` for every percentile asked
 * (default 99); infermark keeps p90, p99 and p99.9, the percentiles METRICS.md defines (p50 is the median).
 */
const STAT_FIELDS: readonly [string, keyof Stats][] = [
  ["mean", "mean"],
  ["median", "median"],
  ["std", "std"],
  ["p50", "median"],
  ["p90", "p90"],
  ["p99", "p99"],
  ["p99.9", "p999"],
];

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * The statistics of one distribution as a result writes them (`mean_ttft_ms`, `p99.9_ttft_ms`, ...), in seconds;
 * undefined when it writes none (vLLM reports e2el only when `--percentile-metrics` names it).
 * @example readVllmStats({ median_ttft_ms: 52.9, p99_ttft_ms: 89.7 }, "ttft") // { median: 0.0529, p99: 0.0897 }
 */
export function readVllmStats(
  result: Record<string, unknown>,
  name: VllmMetric,
): Stats | undefined {
  const stats: Stats = {};
  for (const [prefix, key] of STAT_FIELDS) {
    const v = result[`${prefix}_${name}_ms`];
    if (finite(v) && stats[key] === undefined) stats[key] = v / 1000;
  }
  return Object.keys(stats).length > 0 ? stats : undefined;
}

/** What the per-request arrays of `--save-detailed` give: each distribution's statistics, and the input lengths'. */
export interface DetailedStats {
  metrics: Partial<Record<VllmMetric, Stats>>;
  inputLengths?: Stats;
}

/** A request failed when vLLM recorded an error for it (a successful one has `""`). */
const failed = (error: unknown) => typeof error === "string" && error !== "";

/**
 * Statistics computed from the per-request arrays `--save-detailed` writes (`ttfts`, `itls`, `output_lens`,
 * `input_lens`, `errors`, and in newer versions `latencies`), by METRICS.md's definitions, which are vLLM's own
 * (numpy's linear percentiles, population std): TTFT and E2EL per completed request (E2EL is `latencies`, else TTFT
 * plus the request's gaps, the time of its last chunk), TPOT `(E2EL - TTFT) / (N - 1)` for `N >= 2` output tokens,
 * ITL every gap. Undefined when the arrays are absent, of unequal length, or count another number of completed
 * requests than `completed`: then they are not this result's requests, and only the summary fields are read.
 */
export function detailedStats(
  result: Record<string, unknown>,
  completed: number,
): DetailedStats | undefined {
  const { ttfts, itls, output_lens: outputs, input_lens: inputs, errors, latencies } = result;
  if (!Array.isArray(ttfts) || !Array.isArray(itls) || !Array.isArray(outputs)) return undefined;
  const n = ttfts.length;
  const same = (a: unknown) => a === undefined || (Array.isArray(a) && a.length === n);
  if (
    itls.length !== n ||
    outputs.length !== n ||
    !same(inputs) ||
    !same(errors) ||
    !same(latencies)
  )
    return undefined;
  const ok = ttfts.map((t, i) => finite(t) && !failed((errors as unknown[] | undefined)?.[i]));
  if (ok.filter(Boolean).length !== completed) return undefined;
  const ttft: number[] = [];
  const e2el: number[] = [];
  const tpot: number[] = [];
  const gaps: number[] = [];
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!ok[i]) continue;
    const first = ttfts[i] as number;
    const requestGaps = Array.isArray(itls[i]) ? (itls[i] as unknown[]).filter(finite) : [];
    const latency = (latencies as unknown[] | undefined)?.[i];
    const last = finite(latency) ? latency : first + requestGaps.reduce((a, b) => a + b, 0);
    ttft.push(first);
    e2el.push(last);
    for (const g of requestGaps) gaps.push(g);
    const tokens = outputs[i];
    if (finite(tokens) && tokens >= 2) tpot.push((last - first) / (tokens - 1));
    const input = (inputs as unknown[] | undefined)?.[i];
    if (finite(input)) lengths.push(input);
  }
  const metrics: DetailedStats["metrics"] = {};
  const put = (name: VllmMetric, values: number[]) => {
    const s = summarize(values);
    if (s) metrics[name] = s;
  };
  put("ttft", ttft);
  put("tpot", tpot);
  put("itl", gaps);
  put("e2el", e2el);
  const inputLengths = summarize(lengths);
  return { metrics, ...(inputLengths ? { inputLengths } : {}) };
}

/**
 * A distribution's statistics: those the result wrote, as written (the figures vLLM printed), with what the
 * per-request arrays give beside them (the percentiles `--metric-percentiles` left out, the sample count, a
 * distribution `--percentile-metrics` left out).
 */
export function mergeStats(written?: Stats, computed?: Stats): Stats | undefined {
  if (!written) return computed;
  return computed ? { ...computed, ...written } : written;
}
