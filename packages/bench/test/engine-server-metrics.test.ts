import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { scrapeServerMetrics, serverMetricsDelta, withLevelTelemetry } from "../src/index.js";

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

/** Prometheus text for one gauge family: `# TYPE` then one line per label set, as prometheus_client writes it. */
const gauge = (name: string, series: readonly [string, number][]) =>
  [`# TYPE ${name} gauge`, ...series.map(([labels, v]) => `${name}{${labels}} ${v}`)].join("\n");

describe("server metrics that several engines or ranks export", () => {
  it("vLLM with DP engines: counts add up, KV-cache usage is their mean, an info gauge counts once", async () => {
    // vllm/v1/metrics/loggers.py: every series labelled model_name and engine (one per DP engine)
    const page = (running: [number, number], usage: [number, number]) =>
      [
        gauge("vllm:num_requests_running", [
          ['engine="0",model_name="m"', running[0]],
          ['engine="1",model_name="m"', running[1]],
        ]),
        gauge("vllm:kv_cache_usage_perc", [
          ['engine="0",model_name="m"', usage[0]],
          ['engine="1",model_name="m"', usage[1]],
        ]),
        gauge("vllm:cache_config_info", [
          ['block_size="16",engine="0"', 1],
          ['block_size="16",engine="1"', 1],
        ]),
      ].join("\n");
    const { before, after } = await overLevel(page([0, 0], [0.1, 0.3]), page([3, 5], [0.6, 0.6]));
    expect(after["vllm:num_requests_running"]).toBe(8);
    expect(after["vllm:kv_cache_usage_perc"]).toBe(0.6);
    expect(before["vllm:kv_cache_usage_perc"]).toBe(0.2);
    expect(after["vllm:cache_config_info"]).toBe(1);
  });

  it("SGLang with DP attention: its schedulers, told apart by tp_rank alone, add their requests and average their fractions", async () => {
    // one scheduler per attention group exports (attn_tp_rank 0), without dp_rank: tp_rank 0 and 4 of --tp 8 --dp 2
    const ranks = (a: number, b: number): [string, number][] => [
      ['model_name="m",pp_rank="0",tp_rank="0"', a],
      ['model_name="m",pp_rank="0",tp_rank="4"', b],
    ];
    const page = [
      gauge("sglang:num_running_reqs", ranks(4, 4)),
      gauge("sglang:num_used_tokens", ranks(1000, 3000)),
      gauge("sglang:token_usage", ranks(0.6, 0.4)),
      gauge("sglang:cache_hit_rate", ranks(0.5, 0.25)),
      gauge("sglang:spec_accept_length", ranks(3, 3.4)),
      gauge("sglang:context_len", ranks(32768, 32768)),
    ].join("\n");
    const { after } = await overLevel(page, page);
    expect(after["sglang:num_running_reqs"]).toBe(8);
    expect(after["sglang:num_used_tokens"]).toBe(4000);
    expect(after["sglang:token_usage"]).toBe(0.5);
    expect(after["sglang:cache_hit_rate"]).toBe(0.375);
    expect(after["sglang:spec_accept_length"]).toBe(3.2);
    expect(after["sglang:context_len"]).toBe(32768);
  });

  it("SGLang: pipeline stages holding the same requests count them once; a per-priority breakdown is not added to its total", async () => {
    const page = [
      gauge("sglang:num_running_reqs", [
        ['pp_rank="0",tp_rank="0"', 6],
        ['pp_rank="1",tp_rank="0"', 6],
      ]),
      // metrics_collector.py `_log_gauge_queue_count`: the total under priority="", each priority apart
      gauge("sglang:num_queue_reqs", [
        ['priority="",tp_rank="0"', 5],
        ['priority="0",tp_rank="0"', 2],
        ['priority="1",tp_rank="0"', 3],
      ]),
    ].join("\n");
    const { after } = await overLevel(page, page);
    expect(after["sglang:num_running_reqs"]).toBe(6);
    expect(after["sglang:num_queue_reqs"]).toBe(5);
  });

  it("counters stay summed over every label, ranks and priorities included", async () => {
    const page = (n: number) =>
      [
        "# TYPE sglang:prompt_tokens_total counter",
        `sglang:prompt_tokens_total{model_name="m",priority=""} ${n}`,
        `sglang:prompt_tokens_total{model_name="m",priority="1"} ${2 * n}`,
        "# TYPE sglang:num_retracted_requests_total counter",
        `sglang:num_retracted_requests_total{pp_rank="0"} ${n}`,
        `sglang:num_retracted_requests_total{pp_rank="1"} ${n}`,
      ].join("\n");
    const { delta } = await overLevel(page(10), page(30));
    expect(delta["sglang:prompt_tokens_total"]).toBe(60);
    expect(delta["sglang:num_retracted_requests_total"]).toBe(40);
  });
});

describe("llama.cpp's gauges that each scrape resets", () => {
  /**
   * A llama-server's `/metrics` as server-context.cpp serves it: generation tokens per second over the interval
   * since the previous scrape (the bucket, reset by every scrape), beside the counters that never reset.
   * `POST /decode?tokens=N&ms=M` stands for N tokens generated in M ms of generation time.
   */
  async function llamaServer(): Promise<string> {
    const total = { tokens: 0, ms: 0 };
    let bucket = { tokens: 0, ms: 0 };
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/decode") {
        const tokens = Number(url.searchParams.get("tokens"));
        const ms = Number(url.searchParams.get("ms"));
        for (const b of [total, bucket]) {
          b.tokens += tokens;
          b.ms += ms;
        }
        res.end();
        return;
      }
      const rate = bucket.ms > 0 ? (bucket.tokens / bucket.ms) * 1e3 : 0;
      bucket = { tokens: 0, ms: 0 };
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(
        [
          "# TYPE llamacpp:tokens_predicted_total counter",
          `llamacpp:tokens_predicted_total ${total.tokens}`,
          "# TYPE llamacpp:tokens_predicted_seconds_total counter",
          `llamacpp:tokens_predicted_seconds_total ${total.ms / 1e3}`,
          "# TYPE llamacpp:predicted_tokens_seconds gauge",
          `llamacpp:predicted_tokens_seconds ${rate}`,
        ].join("\n"),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("the level's tokens per second is the after reading, which covers exactly the level since the before scrape reset it", async () => {
    const origin = await llamaServer();
    const decode = (tokens: number, ms: number) =>
      fetch(`${origin}/decode?tokens=${tokens}&ms=${ms}`, { method: "POST" });
    // before the level: 1000 tokens in 10 s (100 tokens/s), which the level's before scrape reads and resets
    await decode(1000, 10_000);
    const { captured } = await withLevelTelemetry({ metricsUrl: `${origin}/metrics` }, async () => {
      // the level: 300 tokens in 2 s, then 150 in 0.5 s (450 tokens in 2.5 s: 180 tokens/s)
      await decode(300, 2000);
      await decode(150, 500);
    });
    const { before, after, delta } = serverMetricsDelta(captured.before!, captured.after!);
    expect(before["llamacpp:predicted_tokens_seconds"]).toBe(100);
    expect(after["llamacpp:predicted_tokens_seconds"]).toBe(180);
    expect(delta["llamacpp:predicted_tokens_seconds"]).toBe(180);
    // the counters give the same figure over the level
    expect(
      delta["llamacpp:tokens_predicted_total"]! / delta["llamacpp:tokens_predicted_seconds_total"]!,
    ).toBe(180);
  });
});
