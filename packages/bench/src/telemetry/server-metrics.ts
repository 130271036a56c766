import { getSameOrigin, notAnswered } from "../client/same-origin-get.js";
import { levelRatios } from "./level-ratios.js";
import { type PromSample, parsePrometheusText } from "./prometheus-text.js";
import { aggregateSeries } from "./series-aggregation.js";
import { TelemetryError } from "./telemetry-error.js";

/** Metric names that carry no serving information (process and runtime internals). */
const NOISE = /^(python_|process_|go_|promhttp_|http_request)/;

/**
 * Flattens a Prometheus scrape into `{ name: value }`: histogram buckets and `_created` series are dropped, and the
 * series of one name (several models, DP engines or ranks) make one number as `aggregateSeries` says: counters and
 * counts summed, fractions and averages (KV-cache usage, hit and acceptance rates) averaged, configuration taken
 * once.
 * @example flattenServerMetrics('vllm:kv_cache_usage_perc{engine="0"} 0.6\nvllm:kv_cache_usage_perc{engine="1"} 0.4')
 * // { "vllm:kv_cache_usage_perc": 0.5 }
 */
export function flattenServerMetrics(text: string): Record<string, number> {
  const byName = new Map<string, PromSample[]>();
  for (const s of parsePrometheusText(text)) {
    if (s.name.endsWith("_bucket") || s.name.endsWith("_created") || NOISE.test(s.name)) continue;
    if (!Number.isFinite(s.value)) continue;
    const series = byName.get(s.name);
    if (series) series.push(s);
    else byName.set(s.name, [s]);
  }
  const out: Record<string, number> = {};
  for (const [name, series] of byName) out[name] = aggregateSeries(series);
  return out;
}

/**
 * Scrapes a server's Prometheus `/metrics` and flattens it; `headers` go with the request (the run's own, which a
 * gateway may require), and with a redirect only on the same origin. Throws a TelemetryError that says why not.
 * @example await scrapeServerMetrics("http://localhost:8000/metrics")
 */
export async function scrapeServerMetrics(
  url: string,
  timeoutMs = 5000,
  headers: Record<string, string> = {},
): Promise<Record<string, number>> {
  const cannotRead = (error: unknown) =>
    new TelemetryError(`server metrics: cannot read ${url} (${fetchFailure(error, timeoutMs)})`, {
      cause: error,
    });
  let response: Response;
  try {
    response = await getSameOrigin(url, headers, timeoutMs);
  } catch (error) {
    throw cannotRead(error);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new TelemetryError(`server metrics: ${url} answered ${notAnswered(response)}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw cannotRead(error);
  }
  const notText = notPrometheusText(text);
  if (notText) throw new TelemetryError(`server metrics: ${url} answered ${notText}`);
  return flattenServerMetrics(text);
}

/**
 * Why a 200 answer is not Prometheus text, or undefined when it may be. JSON would parse as no sample at all and be
 * recorded as a server without counters: trtllm-serve's `/metrics` answers its iteration statistics as a JSON list
 * (tensorrt_llm/serve/openai_server.py `get_iteration_stats`, each GET taking them off its queue); its Prometheus
 * metrics are at `/prometheus/metrics`, mounted only with `return_perf_metrics`. An HTML page is a proxy's or a
 * login's.
 */
function notPrometheusText(text: string): string | undefined {
  const first = text.trimStart()[0];
  if (first === "[" || first === "{")
    return "JSON, not Prometheus text (trtllm-serve's /metrics gives iteration statistics; its Prometheus metrics are at /prometheus/metrics, with return_perf_metrics)";
  if (first === "<") return "HTML, not Prometheus text";
  return undefined;
}

/** What a failed fetch says: its cause's code (`ECONNREFUSED`), or that the time ran out, not "fetch failed". */
function fetchFailure(error: unknown, timeoutMs: number): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return `no answer within ${timeoutMs / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

/**
 * Gauges the server computes over the interval since the previous scrape of its `/metrics`, and resets at each one:
 * llama.cpp's prompt and generation tokens per second, read from its metrics bucket (server-task.cpp `to_metrics`),
 * which every scrape empties (tools/server/server-context.cpp `get_metrics` posts its task with `metrics_reset_bucket`
 * and resets the cached copy, at ggml-org/llama.cpp 001d906a; server.cpp's handler did the same before the split).
 * Scraped before and after a level, the after reading covers exactly the level (the before scrape began its
 * interval); the before reading covers the time since the scrape before it.
 */
export const SCRAPE_INTERVAL_GAUGES: ReadonlySet<string> = new Set([
  "llamacpp:prompt_tokens_seconds",
  "llamacpp:predicted_tokens_seconds",
]);

/**
 * Before and after a level, and what changed: `delta` holds after - before for every series in both (a counter,
 * `_total`, first exported during the level began it at 0: its reading), plus the ratios over the level that the
 * server's counters give (`levelRatios`: `derived:prefix_cache_hit_rate`, `derived:spec_decode_acceptance_rate`,
 * `derived:spec_decode_acceptance_length` = 1 + accepted / drafts; vLLM, SGLang, llama.cpp and TRT-LLM counters).
 * A gauge's delta is the difference of two readings, not a level figure, except for the `SCRAPE_INTERVAL_GAUGES`,
 * which the before scrape reset: their delta is the after reading, the level's own figure.
 */
export function serverMetricsDelta(
  before: Record<string, number>,
  after: Record<string, number>,
): {
  before: Record<string, number>;
  after: Record<string, number>;
  delta: Record<string, number>;
} {
  const delta: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    if (SCRAPE_INTERVAL_GAUGES.has(k)) delta[k] = v;
    else if (k in before) delta[k] = v - before[k]!;
    // a labelled counter's series appears at its first increment (SGLang's cached tokens at the first cache hit)
    else if (k.endsWith("_total")) delta[k] = v;
  }
  return { before, after, delta: { ...delta, ...levelRatios(before, after) } };
}
