/**
 * One engine's counters for a ratio: the numerator and the denominator, each the sum of its counters' increases.
 * `lazy` counters are created by the server at their first increment: absent from a scrape whose other counters are
 * there, they have not moved.
 */
interface CounterSource {
  num: readonly string[];
  den: readonly string[];
  lazy?: readonly string[];
}

/** A ratio over a level and the engines' counters that give it, tried in order (the first exported is used). */
interface LevelRatio {
  name: string;
  /** 1 + num / den (tokens per step: the accepted drafts and the target model's own token). */
  plusOne?: boolean;
  sources: readonly CounterSource[];
}

/**
 * The ratios worth naming, from counters only: a gauge is one reading at the level's end (SGLang's
 * `sglang:cache_hit_rate` and `sglang:spec_accept_length`, TRT-LLM's `trtllm_kv_cache_utilization`), kept in `after` as
 * read and never presented as the level's.
 *
 * vLLM: its spellings across releases. SGLang (`--enable-metrics`): `sglang:cached_tokens_total` over
 * `sglang:prompt_tokens_total`, both counted per finished request by the tokenizer manager, the cached one only for a
 * request that hit the cache (its series appears then, summed over `cache_source` tiers where given): read in
 * python/sglang/srt/metrics/collector.py `TokenizerMetricsCollector.observe_one_finished_request` at sgl-project/sglang
 * 00ae9c1, the same two counters as in the earliest collector.py stored (2024). Its speculative-decoding figures are
 * gauges over the last decode log interval (scheduler_metrics_mixin.py `log_decode_stats`): no ratio.
 * llama.cpp (`--metrics`): `llamacpp:prompt_tokens_total` counts the prompt tokens processed, leaving the cached ones
 * out, `llamacpp:prompt_tokens_cached_total` the cached ones (server-context.cpp `metrics.add_prompt_cached`), and
 * `llamacpp:spec_decode_num_{draft_tokens,accepted_tokens,drafts}_total` drafts, acceptances and verification steps
 * (server-task.cpp `server_task_result_metrics::to_metrics`), read in tools/server at ggml-org/llama.cpp 001d906a;
 * builds before those counters give no ratio. TRT-LLM (`/prometheus/metrics`, `return_perf_metrics`):
 * `trtllm_prompt_cached_tokens_total` over `trtllm_prompt_tokens_total` per finished request, and draft acceptance
 * from the per-position `trtllm_spec_decode_{accepted,drafted}_tokens_total` (each position's series created at its
 * first increment; no counter of verification steps, so no length), read in tensorrt_llm/metrics/collector.py
 * `log_request_metrics_dict` at NVIDIA/TensorRT-LLM 050f80de.
 */
const RATIOS: readonly LevelRatio[] = [
  {
    name: "derived:prefix_cache_hit_rate",
    sources: [
      { num: ["vllm:prefix_cache_hits_total"], den: ["vllm:prefix_cache_queries_total"] },
      { num: ["vllm:gpu_prefix_cache_hits_total"], den: ["vllm:gpu_prefix_cache_queries_total"] },
      { num: ["vllm:prefix_cache_hits"], den: ["vllm:prefix_cache_queries"] },
      {
        num: ["sglang:cached_tokens_total"],
        den: ["sglang:prompt_tokens_total"],
        lazy: ["sglang:cached_tokens_total"],
      },
      {
        num: ["llamacpp:prompt_tokens_cached_total"],
        den: ["llamacpp:prompt_tokens_cached_total", "llamacpp:prompt_tokens_total"],
      },
      { num: ["trtllm_prompt_cached_tokens_total"], den: ["trtllm_prompt_tokens_total"] },
    ],
  },
  {
    name: "derived:spec_decode_acceptance_rate",
    sources: [
      {
        num: ["vllm:spec_decode_num_accepted_tokens_total"],
        den: ["vllm:spec_decode_num_draft_tokens_total"],
      },
      {
        num: ["llamacpp:spec_decode_num_accepted_tokens_total"],
        den: ["llamacpp:spec_decode_num_draft_tokens_total"],
      },
      {
        num: ["trtllm_spec_decode_accepted_tokens_total"],
        den: ["trtllm_spec_decode_drafted_tokens_total"],
        lazy: ["trtllm_spec_decode_accepted_tokens_total"],
      },
    ],
  },
  {
    name: "derived:spec_decode_acceptance_length",
    plusOne: true,
    sources: [
      {
        num: ["vllm:spec_decode_num_accepted_tokens_total"],
        den: ["vllm:spec_decode_num_drafts_total"],
      },
      {
        num: ["llamacpp:spec_decode_num_accepted_tokens_total"],
        den: ["llamacpp:spec_decode_num_drafts_total"],
      },
    ],
  },
];

/**
 * The ratios of counter increases over a level that the server's counters give (`derived:prefix_cache_hit_rate`,
 * `derived:spec_decode_acceptance_rate`, `derived:spec_decode_acceptance_length` = 1 + accepted / drafts), from the
 * flattened scrapes before and after it. A counter first exported during the level began it at 0; one that went back
 * (a restarted server) gives no ratio, nor does a denominator that did not move.
 * @example levelRatios({ "vllm:prefix_cache_hits_total": 0, "vllm:prefix_cache_queries_total": 0 },
 *   { "vllm:prefix_cache_hits_total": 25, "vllm:prefix_cache_queries_total": 100 })
 * // { "derived:prefix_cache_hit_rate": 0.25 }
 */
export function levelRatios(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const ratio of RATIOS) {
    const source = ratio.sources.find((s) =>
      [...s.num, ...s.den].every((k) => k in after || s.lazy?.includes(k)),
    );
    if (!source) continue;
    const num = sumIncreases(source.num, before, after);
    const den = sumIncreases(source.den, before, after);
    if (num === undefined || den === undefined || den <= 0) continue;
    out[ratio.name] = (ratio.plusOne ? 1 : 0) + num / den;
  }
  return out;
}

/** The summed increase of `names` over the level, or undefined when one went back. */
function sumIncreases(
  names: readonly string[],
  before: Record<string, number>,
  after: Record<string, number>,
): number | undefined {
  let sum = 0;
  for (const k of names) {
    const increase = (after[k] ?? 0) - (before[k] ?? 0);
    if (increase < 0) return undefined;
    sum += increase;
  }
  return sum;
}
