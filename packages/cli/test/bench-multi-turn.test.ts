import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionReport } from "@infermark/bench";
import type { PointResult } from "@infermark/core";
import { createSimServer, type SimServer } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "./helpers.js";
import { prefixCacheCounters } from "./sim-prefix-cache.js";

let sim: SimServer;
let url: string;
let out: string;

beforeAll(async () => {
  // at the wall clock's speed, so that the client's own jitter stays small beside the TTFTs compared
  sim = createSimServer({ sim: { model: "dsr1", hardware: "h200", tp: 8 }, speed: 1 });
  const { port } = await sim.listen(0);
  url = `http://127.0.0.1:${port}`;
  out = await mkdtemp(join(tmpdir(), "infermark-multi-turn-"));
});
afterAll(async () => {
  await sim.close();
  await rm(out, { recursive: true, force: true });
});

const prefixCache = () => prefixCacheCounters(url);

const bench = (args: string[]) =>
  runCliInProcess([
    "bench",
    "--base-url",
    url,
    "--model",
    "dsr1",
    "--osl",
    "20",
    "--range-ratio",
    "1",
    "--concurrency",
    "1",
    "--warmup",
    "0",
    "--max-client-lag",
    "100000",
    "--output-dir",
    out,
    "--json",
    ...args,
  ]);
const pointOf = (stdout: string) =>
  (JSON.parse(stdout) as { levels: { point: PointResult }[] }).levels[0]!.point;

describe("bench --workload multi-turn against infermark sim serve", () => {
  it("hits the prefix cache on later turns: their TTFT stays well below an uncached prompt's as long", async () => {
    const before = await prefixCache();
    const r = await bench([
      ...["--workload", "multi-turn", "--turns", "4", "--isl", "1000", "--num-requests", "12"],
      ...["--api", "chat", "--think-time", "200"],
    ]);
    expect(r.code).toBe(0);
    const point = pointOf(r.stdout);
    const after = await prefixCache();
    const report = point.extra!.session as SessionReport;
    expect(report.sessions).toBe(3);
    expect(report.turns.map((t) => [t.turn, t.completed])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
      [4, 3],
    ]);
    // turn k carries k user turns of 1,000 tokens and k - 1 replies of 20
    expect(report.turns.map((t) => t.inputTokensMedian)).toEqual([1000, 2020, 3040, 4060]);
    // the cache serves each later turn the full 64-token blocks of the previous turn's prompt and reply (1,020,
    // 2,040 and 3,060 tokens): 15, 31 and 47 blocks, in each of the 3 sessions
    expect(after.hits - before.hits).toBe(3 * 64 * (15 + 31 + 47));
    // a 4th turn prefills its ~1,020 new tokens; a prompt as long that nothing cached prefills all 4,060
    const uncached = await bench(["--isl", "4060", "--num-requests", "3"]);
    expect(uncached.code).toBe(0);
    // run without the configuration flags, the points say so once the run is over
    expect(uncached.stderr.trim().split("\n").at(-1)).toBe(
      "infermark: warning: without --gpus, --hardware, --precision the points record 1 GPU (throughput per GPU counts one), hardware unknown (no cost or energy), precision unknown",
    );
    const ttft4 = report.turns[3]!.ttftMedianS!;
    const uncachedTtft = pointOf(uncached.stdout).metrics?.ttft?.median ?? 0;
    expect(ttft4).toBeLessThan(0.7 * uncachedTtft);
  });

  it("refuses, with one line and exit 2, sessions longer than the model's context", async () => {
    const r = await bench([
      ...["--workload", "multi-turn", "--turns", "100", "--isl", "2000", "--num-requests", "1"],
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "infermark: --workload multi-turn: the last turn can need 202000 tokens (--prefix-length 0 + --turns 100 x (--isl 2000 + --osl 20)), over the model's context length 163840 (max_model_len in /v1/models); lower --turns, --isl or --osl",
    );
  });

  it("refuses session flags without the multi-turn workload, and the random workload's with ShareGPT sessions", async () => {
    const r = await bench(["--isl", "100", "--turns", "3"]);
    expect([r.code, r.stderr.trim()]).toEqual([
      2,
      "infermark: --turns applies to --workload multi-turn only, not random",
    ]);
    const d = await bench(["--workload", "multi-turn", "--dataset", "x.json", "--isl", "100"]);
    expect([d.code, d.stderr.trim()]).toEqual([
      2,
      "infermark: --isl applies to synthetic sessions only, not to ShareGPT conversations (--dataset)",
    ]);
  });
});
