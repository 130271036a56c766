import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { scrapeServerMetrics, serverMetricsDelta } from "../src/index.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures/telemetry");
const fixture = (name: string) => readFile(join(FIXTURES, name), "utf8");

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A local server whose `/metrics` answers `pages` in turn, as an engine's counters move over a level. */
async function metricsServer(pages: readonly string[]): Promise<string> {
  let next = 0;
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(pages[Math.min(next++, pages.length - 1)]);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

/** Scrapes `pages` before and after a level, as withLevelTelemetry does, and returns what the point keeps. */
async function overLevel(before: string, after: string) {
  const url = await metricsServer([before, after]);
  const first = await scrapeServerMetrics(url);
  return serverMetricsDelta(first, await scrapeServerMetrics(url));
}

describe("server metrics over a level, by engine", () => {
  it("SGLang: prefix-cache hit rate from its cached and prompt token counters, cache tiers summed", async () => {
    const { after, delta } = await overLevel(
      await fixture("sglang-metrics-before.txt"),
      await fixture("sglang-metrics-after.txt"),
    );
    // (20480 + 4096 - 8192) cached of 81920 - 40960 prompt tokens
    expect(delta["sglang:cached_tokens_total"]).toBe(16384);
    expect(delta["derived:prefix_cache_hit_rate"]).toBe(16384 / 40960);
    // its acceptance figures are gauges (a window of recent batches at the level's end): kept as read, never derived
    expect(after["sglang:spec_accept_length"]).toBe(3.1);
    expect(delta["derived:spec_decode_acceptance_length"]).toBeUndefined();
    expect(delta["derived:spec_decode_acceptance_rate"]).toBeUndefined();
  });

  it("SGLang: a cached-token counter first exported during the level began it at 0; none at all means no hit", async () => {
    const prompt = (n: number) => `sglang:prompt_tokens_total{model_name="m"} ${n}\n`;
    const cached = (n: number) => `sglang:cached_tokens_total{model_name="m"} ${n}\n`;
    // SGLang creates the cached series at the first request that hit the cache
    const first = await overLevel(prompt(100), prompt(900) + cached(200));
    expect(first.delta["sglang:cached_tokens_total"]).toBe(200);
    expect(first.delta["derived:prefix_cache_hit_rate"]).toBe(200 / 800);
    const none = await overLevel(prompt(100), prompt(900));
    expect(none.delta["derived:prefix_cache_hit_rate"]).toBe(0);
  });

  it("llama.cpp: hit rate over cached plus processed prompt tokens, and draft acceptance from its counters", async () => {
    const { after, delta } = await overLevel(
      await fixture("llamacpp-metrics-before.txt"),
      await fixture("llamacpp-metrics-after.txt"),
    );
    // its prompt_tokens_total leaves the cached tokens out: 1500 cached of 1500 + 500
    expect(delta["derived:prefix_cache_hit_rate"]).toBe(0.75);
    expect(delta["derived:spec_decode_acceptance_rate"]).toBe(1200 / 1600);
    // 1 + 1200 accepted / 400 verification steps
    expect(delta["derived:spec_decode_acceptance_length"]).toBe(4);
    // a gauge averaged since the previous scrape, kept as read
    expect(after["llamacpp:predicted_tokens_seconds"]).toBe(98.5);
  });

  it("TRT-LLM: hit rate from its cached and prompt token counters, acceptance from the per-position counters", async () => {
    const { delta } = await overLevel(
      await fixture("trtllm-metrics-before.txt"),
      await fixture("trtllm-metrics-after.txt"),
    );
    expect(delta["derived:prefix_cache_hit_rate"]).toBe(2048 / 4096);
    // positions summed: 400 + 300 + 200 accepted of 3 x 500 drafted
    expect(delta["derived:spec_decode_acceptance_rate"]).toBe(900 / 1500);
    // no counter of verification steps: no length
    expect(delta["derived:spec_decode_acceptance_length"]).toBeUndefined();
  });

  it("derives nothing from counters that went back (the server restarted during the level)", async () => {
    const page = (prompt: number, cached: number) =>
      `llamacpp:prompt_tokens_total ${prompt}\nllamacpp:prompt_tokens_cached_total ${cached}\n`;
    const { delta } = await overLevel(page(5000, 9000), page(300, 100));
    expect(delta["derived:prefix_cache_hit_rate"]).toBeUndefined();
  });
});
