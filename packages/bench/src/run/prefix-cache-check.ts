import type { PointResult, RequestRecord } from "@infermark/core";
import type { ResolvedBenchOptions } from "./bench-options.js";

/**
 * The share of a level's prompt tokens past which its prompts were mostly answered from the server's prefix cache.
 * Random prompts share no cache block (docs/bench.md, "Workloads"): a first run reads about 0%, and what a chat
 * template's few dozen tokens of preamble add stays well under half of any ISL worth measuring. Over half, most of
 * the prefill the point claims was a cache lookup, and its TTFT and input throughput describe the cache, not the
 * server's prefill: the prompts had been sent before (the same `--seed` against a warm server).
 */
export const CACHED_SHARE_LIMIT = 0.5;

/** What the prefix cache served of a level's prompts, by the server's own account. */
interface CachedShare {
  share: number;
  /** Where the figure comes from, in the user's words. */
  source: string;
}

const ADVICE =
  "(same --seed against a warm server); give another --seed or reset the server's prefix cache (restart it)";

/**
 * Checks how much of a level's prompts the server's prefix cache served, by the larger of its `/metrics` hit rate over
 * the level and the cached tokens its usage reported for the measured requests. A random workload without a shared
 * prefix that the cache served over `CACHED_SHARE_LIMIT` is an invalid point; a dataset, or a random workload with a
 * shared prefix (its share taken off), gets a warning; sessions and traces share prefixes on purpose: no check.
 * @example prefixCacheCheck(o, point, records) // { invalidReason: "the server's prefix cache served 96% ..." }
 */
export function prefixCacheCheck(
  o: ResolvedBenchOptions,
  point: PointResult,
  records: readonly RequestRecord[],
): { invalidReason?: string; warning?: string } {
  if (o.workload === "multi-turn" || o.workload === "trace") return {};
  const cached = cachedShare(point, records);
  if (!cached) return {};
  const served = `the server's prefix cache served ${pct(cached.share)} of the prompt tokens (${cached.source})`;
  if (o.workload === "random" && o.prefixLength === 0) {
    return cached.share > CACHED_SHARE_LIMIT
      ? {
          invalidReason: `${served}, over the ${pct(CACHED_SHARE_LIMIT)} a random workload without a shared prefix can reach: these prompts were sent before ${ADVICE}`,
        }
      : {};
  }
  // the shared prefix is cached by design: judged is what the rest of the prompts got from the cache
  const meanIsl = point.config.workload.achievedIsl?.mean;
  const shared =
    o.workload === "random" && meanIsl !== undefined && meanIsl > 0
      ? Math.min(1, o.prefixLength / meanIsl)
      : 0;
  if (shared >= 1 || (cached.share - shared) / (1 - shared) <= CACHED_SHARE_LIMIT) return {};
  const prefix = shared > 0 ? `, where the shared prefix accounts for about ${pct(shared)}` : "";
  return { warning: `${served}${prefix}: most prompts were sent before ${ADVICE}` };
}

/** The larger of the two shares the server gives, when it gives either. */
function cachedShare(
  point: PointResult,
  records: readonly RequestRecord[],
): CachedShare | undefined {
  const shares: CachedShare[] = [];
  const hit = point.serverMetrics?.delta?.["derived:prefix_cache_hit_rate"];
  if (hit !== undefined)
    shares.push({ share: hit, source: "prefix-cache hit rate in its /metrics" });
  let cached = 0;
  let prompt = 0;
  for (const r of records) {
    if (r.warmup || r.error || r.cachedPromptTokens === undefined || !r.promptTokens) continue;
    cached += r.cachedPromptTokens;
    prompt += r.promptTokens;
  }
  if (prompt > 0)
    shares.push({
      share: cached / prompt,
      source: "usage.prompt_tokens_details.cached_tokens",
    });
  return shares.sort((a, b) => b.share - a.share)[0];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
