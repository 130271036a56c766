import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runCli, simServing, tempDir } from "./helpers.js";

/*
 * Points that `infermark bench` used to write as valid though they misled: a repeated run answered from the server's
 * prefix cache, a rate level too short for its arrivals to reach a steady state or past the server's capacity, a
 * range ratio read as vLLM's, an SLO in ms taken as seconds, a prompt longer than the server's context. Each runs the
 * real `sim serve` and the real `bench` in child processes.
 */

let out: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  out = await tempDir("infermark-misleading-");
});
afterAll(async () => {
  await out.cleanup();
});

/** Starts `sim serve` (llama70b on 8 H200, `flags`) on a free port, gives `use` its base URL, stops it after. */
const serving = <T>(flags: readonly string[], use: (baseUrl: string) => Promise<T>): Promise<T> =>
  simServing(["--model", "llama70b", "--hardware", "h200", "--tp", "8", ...flags], (_, url) =>
    use(url),
  );

let runs = 0;
/** `infermark bench --json` against `baseUrl` with `flags`: its exit code, stderr and points. */
async function bench(
  baseUrl: string,
  flags: readonly string[],
): Promise<CliResult & { points: PointResult[] }> {
  const r = await runCli(
    [
      ...["bench", "--base-url", baseUrl, "--model", "llama70b", "--json"],
      ...["--max-client-lag", "100000", "--output-dir", `${out.dir}/run${runs++}`, ...flags],
    ],
    { timeoutMs: 120_000 },
  );
  const points =
    r.code === 0 || r.code === 1
      ? (JSON.parse(r.stdout) as { levels: { point: PointResult }[] }).levels.map((l) => l.point)
      : [];
  return { ...r, points };
}

/** What a level's point says of itself: valid or not, why, and its warnings. */
const verdict = (p: PointResult) => ({
  valid: p.validity.valid,
  reasons: p.validity.reasons,
  warnings: p.extra?.warnings as string[] | undefined,
});

describe("bench against a warm prefix cache", () => {
  const level = ["--isl", "512", "--osl", "8", "--concurrency", "4", "--num-requests", "16"];

  it("marks a repeated random run that the server's cache answered invalid, and a fresh seed valid again", async () => {
    const [first, again, reseeded] = await serving(["--speed", "50"], async (url) => [
      await bench(url, level),
      await bench(url, level),
      await bench(url, [...level, "--seed", "1"]),
    ]);
    expect(verdict(first.points[0]!)).toEqual({ valid: true, reasons: [], warnings: undefined });
    const hit = again.points[0]!.serverMetrics!.delta!["derived:prefix_cache_hit_rate"]!;
    expect(hit).toBeGreaterThan(0.9);
    expect([again.code, verdict(again.points[0]!)]).toEqual([
      1,
      {
        valid: false,
        reasons: [
          `the server's prefix cache served ${(hit * 100).toFixed(0)}% of the prompt tokens (prefix-cache hit rate in its /metrics), over the 50% a random workload without a shared prefix can reach: these prompts were sent before (same --seed against a warm server); give another --seed or reset the server's prefix cache (restart it)`,
        ],
        warnings: undefined,
      },
    ]);
    expect(again.stderr).toContain("[c4] INVALID: the server's prefix cache served");
    expect(verdict(reseeded.points[0]!)).toEqual({ valid: true, reasons: [], warnings: undefined });
  }, 120_000);

  it("reads the cached tokens the server reports per request when its /metrics are not read", async () => {
    const flags = [...level, "--no-server-metrics"];
    const [, again] = await serving(
      ["--speed", "50", "--enable-prompt-tokens-details"],
      async (url) => [await bench(url, flags), await bench(url, flags)],
    );
    const m = again.points[0]!.metrics;
    const share = m.cachedPromptTokens! / m.inputTokens!;
    expect(share).toBeGreaterThan(0.9);
    expect(verdict(again.points[0]!)).toEqual({
      valid: false,
      reasons: [
        `the server's prefix cache served ${(share * 100).toFixed(0)}% of the prompt tokens (usage.prompt_tokens_details.cached_tokens), over the 50% a random workload without a shared prefix can reach: these prompts were sent before (same --seed against a warm server); give another --seed or reset the server's prefix cache (restart it)`,
      ],
      warnings: undefined,
    });
  }, 120_000);

  it("only warns for a workload with a shared prefix", async () => {
    const flags = [...level, "--prefix-length", "64"];
    const [first, again] = await serving(["--speed", "50"], async (url) => [
      await bench(url, flags),
      await bench(url, flags),
    ]);
    expect(verdict(first.points[0]!)).toEqual({ valid: true, reasons: [], warnings: undefined });
    const v = verdict(again.points[0]!);
    expect([again.code, v.valid, v.warnings?.length]).toEqual([0, true, 1]);
    expect(v.warnings![0]).toMatch(
      /^the server's prefix cache served \d+% of the prompt tokens \(prefix-cache hit rate in its \/metrics\), where the shared prefix accounts for about \d+%: most prompts were sent before \(same --seed against a warm server\); give another --seed or reset the server's prefix cache \(restart it\)$/,
    );
  }, 120_000);
});

describe("bench's rate levels", () => {
  it("sizes a rate level to 60 s of arrivals by default", async () => {
    const r = await serving(["--speed", "10"], (url) =>
      bench(url, ["--isl", "64", "--osl", "4", "--rate", "4", "--warmup", "0"]),
    );
    expect(r.stderr).toContain("[r4] start: 240 requests after 0 warm-up");
    expect([r.code, r.points[0]!.config.load.requests, verdict(r.points[0]!)]).toEqual([
      0,
      240,
      { valid: true, reasons: [], warnings: undefined },
    ]);
  }, 120_000);

  it("sizes a rate level under --max-concurrency to 10 x the cap, which bounds what is sent", async () => {
    const r = await serving(["--speed", "10"], (url) =>
      bench(url, [
        ...[
          "--isl",
          "64",
          "--osl",
          "4",
          "--rate",
          "100",
          "--max-concurrency",
          "8",
          "--warmup",
          "0",
        ],
      ]),
    );
    expect(r.stderr).toContain("[r100] start: 80 requests after 0 warm-up");
    expect([r.code, r.points[0]!.config.load.requests]).toEqual([0, 80]);
  }, 120_000);

  it("sizes a multi-turn rate level to 60 s of session arrivals, counted in turns", async () => {
    // 1 session/s for 60 s, 4 turns each: 240 turns
    const r = await serving(["--speed", "20"], (url) =>
      bench(url, [
        ...["--workload", "multi-turn", "--turns", "4", "--isl", "64", "--osl", "4"],
        ...["--rate", "1", "--warmup", "0"],
      ]),
    );
    expect(r.stderr).toContain("[r1] start: 240 requests after 0 warm-up");
    expect([r.code, r.points[0]!.config.load.requests]).toEqual([0, 240]);
  }, 120_000);

  it("does not warn of an idle server that kept up with a slow rate", async () => {
    // 12 requests over 60 s: their Poisson spread alone once read as completing at 70% of the offered rate
    const r = await serving(["--speed", "50"], (url) =>
      bench(url, ["--isl", "256", "--osl", "64", "--rate", "0.2", "--seed", "806"]),
    );
    expect(r.stderr).toContain("[r0.2] start: 12 requests");
    expect([r.code, verdict(r.points[0]!)]).toEqual([
      0,
      { valid: true, reasons: [], warnings: undefined },
    ]);
  }, 120_000);

  it("warns when the server's backlog grew through the level", async () => {
    // one request at a time, 400 tokens each: under half the offered 2/s; the default level, 60 s of arrivals
    const r = await serving(["--speed", "100", "--max-running", "1"], (url) =>
      bench(url, ["--isl", "64", "--osl", "400", "--rate", "2", "--warmup", "0"]),
    );
    const v = verdict(r.points[0]!);
    expect([r.code, v.valid, v.warnings?.length]).toEqual([0, true, 1]);
    expect(v.warnings![0]).toMatch(
      /^the time from a request's schedule to its completion grew \d+\.\d\d s per second over the level's second half, as when the server completes about \d+% of the offered 2\/s: it could not keep up, so requests queued and the latencies grow with the level's length \(this rate is past its capacity\)$/,
    );
    expect(r.stderr).toContain("[r2] valid; warning: the time from a request's schedule");
  }, 120_000);
});

describe("bench's lengths, SLOs and context", () => {
  it("shows the achieved mean ISL and OSL beside the asked ones", async () => {
    const r = await serving(["--speed", "50"], (url) =>
      runCli(
        [
          ...["bench", "--base-url", url, "--model", "llama70b", "--isl", "1024", "--osl", "16"],
          ...["--range-ratio", "0.1", "--concurrency", "4", "--num-requests", "16"],
          ...["--max-client-lag", "100000", "--output-dir", `${out.dir}/lengths`],
        ],
        { timeoutMs: 120_000 },
      ),
    );
    const point = JSON.parse(
      await readFile(join(out.dir, "lengths", "point-c4.json"), "utf8"),
    ) as PointResult;
    const { completed, inputTokens, outputTokens } = point.metrics;
    const [isl, osl] = [inputTokens! / completed!, outputTokens! / completed!];
    // uniform in [102, 1024] and [1, 16]: about 563 and 8, whatever the table's Workload row says
    expect([r.code, isl > 300 && isl < 800, osl < 14]).toEqual([0, true, true]);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("Achieved mean ISL / OSL"))).toEqual([
      `Achieved mean ISL / OSL                  ${isl.toFixed(0)} / ${osl.toFixed(0)}`,
    ]);
  }, 120_000);

  it("says in --help how --range-ratio differs from vLLM's --random-range-ratio", async () => {
    const r = await runCli(["bench", "--help"]);
    expect(r.stdout.replace(/\s+/g, " ")).toContain(
      "--range-ratio <r> lengths uniform in [r x L, L] (InferenceX's; vLLM's --random-range-ratio r draws from [L(1-r), L(1+r)]) (default: 0.8)",
    );
  });

  it("warns in one line about an SLO in seconds that reads like milliseconds", async () => {
    const r = await runCli([
      ...["bench", "--base-url", "http://127.0.0.1:9", "--model", "m", "--isl", "8", "--osl", "8"],
      ...["--concurrency", "1", "--slo-ttft", "500", "--slo-tpot", "50", "--slo-e2el", "30"],
    ]);
    expect(r.stderr.split("\n").filter((l) => l.includes("warning: --slo"))).toEqual([
      "infermark: warning: --slo-ttft 500 and --slo-tpot 50 are seconds (TTFT over 60 s or TPOT over 1 s is no service level): for milliseconds give --slo-ttft 0.5 --slo-tpot 0.05",
    ]);
  });

  it("refuses a random workload longer than the server's max_model_len before sending it", async () => {
    const r = await serving(["--speed", "50", "--max-model-len", "1000"], (url) =>
      bench(url, ["--isl", "2048", "--osl", "64", "--concurrency", "2"]),
    );
    expect([r.code, r.stderr.trim().split("\n").at(-1)]).toEqual([
      2,
      "infermark: --isl 2048 + --osl 64 = 2112 tokens per request at most, over the server's max_model_len 1000 (/v1/models): it would refuse them; lower --isl or --osl, or raise the server's --max-model-len",
    ]);
  }, 120_000);
});
