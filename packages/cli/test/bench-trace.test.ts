import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TraceReport } from "@infermark/bench";
import type { PointResult, RequestRecord } from "@infermark/core";
import { createSimServer, type SimServer } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "./helpers.js";
import { prefixCacheCounters } from "./sim-prefix-cache.js";

let sim: SimServer;
let url: string;
let dir: string;

beforeAll(async () => {
  sim = createSimServer({
    sim: { model: "dsr1", hardware: "h200", tp: 8 },
    speed: 10,
    promptTokensDetails: true,
  });
  const { port } = await sim.listen(0);
  url = `http://127.0.0.1:${port}`;
  dir = await mkdtemp(join(tmpdir(), "infermark-trace-cli-"));
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const prefixCache = () => prefixCacheCounters(url);

const bench = (args: string[]) =>
  runCliInProcess([
    ...["bench", "--base-url", url, "--model", "dsr1", "--workload", "trace"],
    ...["--max-client-lag", "100000", "--output-dir", join(dir, "out"), "--json", ...args],
  ]);

// Mooncake's 512-token blocks over the simulator's 64-token ones; every record after the first shares a prefix
const TRACE = [
  { timestamp: 0, input_length: 1000, output_length: 8, hash_ids: [1, 2] },
  { timestamp: 100, input_length: 1100, output_length: 8, hash_ids: [1, 2, 3] },
  { timestamp: 200, input_length: 600, output_length: 8, hash_ids: [1, 9] },
  { timestamp: 300, input_length: 300, output_length: 8, hash_ids: [5] },
  { timestamp: 400, input_length: 1500, output_length: 8, hash_ids: [1, 2, 3] },
];

describe("bench --workload trace against infermark sim serve", () => {
  it("replays the trace; the server's cached tokens are the 64-token blocks of the prefixes the hash ids share", async () => {
    const file = join(dir, "trace.jsonl");
    await writeFile(file, TRACE.map((r) => `${JSON.stringify(r)}\n`).join(""));
    const before = await prefixCache();
    // one in flight, so each request finds the blocks of every record before it cached
    const r = await bench([
      "--dataset",
      file,
      "--max-concurrency",
      "1",
      "--save-requests",
      "--no-preflight",
    ]);
    expect(r.code).toBe(0);
    const after = await prefixCache();
    const point = (JSON.parse(r.stdout) as { levels: { point: PointResult }[] }).levels[0]!.point;
    const records = (await readFile(join(dir, "out", "requests-trace.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as RequestRecord);
    expect(records.map((x) => x.promptTokens)).toEqual([1000, 1100, 600, 300, 1500]);
    // record 2 shares the first's whole 1,000-token prompt: its 15 full 64-token blocks (the 16th holds the
    // first's reply); record 3 block 1 (8 blocks); record 5 record 2's 1,100 tokens (17 blocks)
    expect(records.map((x) => x.cachedPromptTokens)).toEqual([0, 960, 512, 0, 1088]);
    expect(after.hits - before.hits).toBe(960 + 512 + 1088);
    expect(after.queries - before.queries).toBe(4500);
    const trace = point.extra!.trace as TraceReport;
    expect(trace).toMatchObject({
      promptTokens: 4500,
      cachedPromptTokens: 2560,
      cachedShare: Math.round((2560 / 4500) * 1e4) / 1e4,
      // by the hash ids: 1,000 + 512 + 1,100 tokens an earlier record sent
      shareableTokens: 2612,
      shareableShare: Math.round((2612 / 4500) * 1e4) / 1e4,
      maxConcurrency: 1,
    });
    expect(point.metrics.cachedPromptTokens).toBe(2560);
    expect(point.config.workload).toMatchObject({ kind: "trace", isl: 900, osl: 8 });
    expect(point.config.load).toMatchObject({ mode: "trace", concurrency: 1, requests: 5 });
    // the speed-10 simulator's engine time: the trace's 100 ms gaps, scaled back from the 10 ms sent
    expect(records.map((x) => Math.round(x.tSched - records[0]!.tSched))).toEqual([
      0, 100, 200, 300, 400,
    ]);
  });

  it("refuses a bad line with one line naming file, line and field, exit 1, and sends nothing", async () => {
    const file = join(dir, "bad.jsonl");
    await writeFile(file, `${JSON.stringify(TRACE[0])}\n{"timestamp": 5, "input_length": "9"}\n`);
    const before = await prefixCache();
    const r = await bench(["--dataset", file]);
    expect([r.code, r.stderr.trim()]).toEqual([
      1,
      `infermark: --dataset ${file}:2: "input_length" must be an integer >= 1, got "9"`,
    ]);
    expect(await prefixCache()).toEqual(before);
  });

  it("refuses the load flags a trace's timestamps replace (exit 2)", async () => {
    const r = await bench(["--dataset", "t.jsonl", "--concurrency", "4"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "infermark: --concurrency / --rate do not apply to --workload trace: its timestamps are the schedule (--max-concurrency caps it, --trace-speedup replays it faster)",
    );
    const isl = await bench(["--dataset", "t.jsonl", "--isl", "100"]);
    expect([isl.code, isl.stderr.trim()]).toEqual([
      2,
      "infermark: --isl applies to the random workload only, not trace",
    ]);
  });
});
