/**
 * The prefix-cache counters an `infermark sim serve` at `url` reports in its /metrics (vLLM's names): prompt
 * tokens looked up and those found cached, since it started.
 * @example const before = await prefixCacheCounters(url); // ... run ...; (await prefixCacheCounters(url)).hits - before.hits
 */
export async function prefixCacheCounters(url: string): Promise<{ queries: number; hits: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) =>
    Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, "m").exec(text)![1]);
  return {
    queries: value("vllm:prefix_cache_queries_total"),
    hits: value("vllm:prefix_cache_hits_total"),
  };
}
