import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type BenchOptions,
  resolveBenchOptions,
  runBench,
  type TraceReport,
} from "../src/index.js";
import { type ScriptedServer, sse, startScriptedServer } from "./scripted-server.js";
import { RELAXED } from "./small-level.js";

/** Answers every generation after `delayMs` with one token and usage; lists no models. */
function serve(delayMs = 0): Promise<ScriptedServer> {
  return startScriptedServer((r) =>
    r.path.endsWith("/models")
      ? { contentType: "application/json", writes: ['{"object":"list","data":[]}'] }
      : {
          writes: [
            ...(delayMs ? [delayMs] : []),
            sse({ choices: [{ index: 0, text: "x", finish_reason: "length" }] }),
            sse({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 1 } }),
            sse("[DONE]"),
          ],
        },
  );
}

let dir: string;
let server: ScriptedServer | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infermark-trace-run-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function traceFile(records: object[], name = "t.jsonl"): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return path;
}

const options = (url: string, dataset: string, more: Partial<BenchOptions> = {}): BenchOptions => ({
  baseUrl: url,
  model: "m",
  workload: "trace",
  dataset,
  traceBlockSize: 8,
  healthBounds: RELAXED,
  ...more,
});

const generations = (s: ScriptedServer) => s.received.filter((r) => !r.path.endsWith("/models"));
const words = (text: unknown) => String(text).split(" ").filter(Boolean);

describe("the trace workload", () => {
  it("sends each record at its timestamp over the speedup, with its lengths forced, in one level", async () => {
    const timestamps = [1000, 1400, 2000, 2600, 2600];
    const dataset = await traceFile(
      timestamps.map((timestamp, i) => ({
        timestamp,
        input_length: 10 + i,
        output_length: 3 + i,
        hash_ids: [1, i + 2],
      })),
    );
    server = await serve();
    const { levels } = await runBench(options(server.url, dataset, { traceSpeedup: 2 }));
    expect(levels).toHaveLength(1);
    const { label, point, records } = levels[0]!;
    expect(label).toBe("trace");
    // the schedule is the trace's: each record's tSched is its timestamp over 2 after the first's
    const offsets = records.map((r) => r.tSched - records[0]!.tSched);
    expect(offsets.map((t) => Math.round(t * 1000) / 1000)).toEqual([0, 200, 500, 800, 800]);
    // sent on time (within a busy machine's jitter; a schedule at speedup 1 would be 200+ ms off)
    for (const r of records) {
      expect(r.tSend - r.tSched).toBeGreaterThanOrEqual(0);
      expect(r.tSend - r.tSched).toBeLessThan(60);
    }
    // and the server saw them so (a first request opens its connection, so a looser bound)
    const sent = generations(server);
    const arrivals = sent.map((r) => r.t - sent[0]!.t);
    for (const [i, t] of arrivals.entries()) expect(Math.abs(t - offsets[i]!)).toBeLessThan(60);
    expect(sent.map((r) => words(r.body.prompt).length)).toEqual([10, 11, 12, 13, 14]);
    expect(sent.map((r) => [r.body.max_tokens, r.body.ignore_eos])).toEqual(
      [3, 4, 5, 6, 7].map((n) => [n, true]),
    );
    expect(point.config.load).toEqual({ mode: "trace", rate: 5, requests: 5, warmupRequests: 0 });
    expect(point.config.workload).toMatchObject({
      kind: "trace",
      isl: 12,
      osl: 5,
      trace: { file: "t.jsonl", records: 5, blockSize: 8, speedup: 2 },
    });
    expect(point.config.workload.trace!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("caps requests in flight with --max-concurrency and reports how far sends slipped", async () => {
    // no timestamps: every record as soon as the cap lets it go
    const dataset = await traceFile(
      [0, 1, 2, 3].map(() => ({ input_length: 4, output_length: 1 })),
    );
    server = await serve(80);
    const { levels } = await runBench(
      options(server.url, dataset, { maxConcurrency: 1, healthBounds: { sendLagP99Ms: 10 } }),
    );
    const { point, records } = levels[0]!;
    expect(server.maxOpen).toBe(1);
    const trace = point.extra!.trace as TraceReport;
    expect(trace.maxConcurrency).toBe(1);
    expect(trace.sendsLate).toBe(3);
    expect(trace.sendSlipMaxMs).toBeGreaterThan(3 * 80 - 10);
    expect(point.config.load).toEqual({
      mode: "trace",
      concurrency: 1,
      requests: 4,
      warmupRequests: 0,
    });
    // the wait for a slot (80, 160 and 240 ms) is queue delay, not the client's lag: were it counted, the largest send
    // lag would be at least 230 ms; asserted on the lag itself, not on `saturated`, which a busy machine's event-loop
    // delay can set (a CI run failed so)
    expect(point.client!.sendLagMaxMs).toBeLessThan(3 * 80 - 10);
    expect(records.every((r) => r.tSched === records[0]!.tSched)).toBe(true);
  });

  it("takes the first --warmup records as warm-up and the next --num-requests as measured", async () => {
    const dataset = await traceFile(
      [0, 10, 20, 30, 40].map((timestamp) => ({ timestamp, input_length: 4, output_length: 1 })),
    );
    server = await serve();
    const { levels } = await runBench(options(server.url, dataset, { warmup: 1, numRequests: 2 }));
    const { point, records } = levels[0]!;
    expect(records.map((r) => r.warmup)).toEqual([true, false, false]);
    expect(point.config.load).toMatchObject({ requests: 2, warmupRequests: 1, rate: 100 });
    expect(point.extra!.trace).toMatchObject({ warmupRecords: 1, measuredRecords: 2 });
  });

  it("reports the tokens the hash ids let a prefix cache share, from the records before", async () => {
    const dataset = await traceFile([
      { input_length: 20, output_length: 1, hash_ids: [1, 2, 3] }, // nothing before
      { input_length: 24, output_length: 1, hash_ids: [1, 2, 3] }, // 8 + 8 + the 4 of block 3 sent before
      { input_length: 12, output_length: 1, hash_ids: [1, 9] }, // 8
      { input_length: 16, output_length: 1, hash_ids: [9, 2] }, // block 2 after another: none
    ]);
    server = await serve();
    const { levels } = await runBench(options(server.url, dataset, { warmup: 1 }));
    expect(levels[0]!.point.extra!.trace).toMatchObject({
      shareableTokens: 20 + 8,
      shareableShare: Math.round((28 / (24 + 12 + 16)) * 1e4) / 1e4,
    });
  });

  it("refuses a bad line, or more records than the trace holds, before sending anything", async () => {
    server = await serve();
    const bad = await traceFile(
      [
        { input_length: 4, output_length: 1 },
        { input_length: 4, output_len: 1 },
      ],
      "bad.jsonl",
    );
    await expect(runBench(options(server.url, bad, { preflight: true }))).rejects.toThrow(
      `${bad}:2: "output_length" (a positive integer) is missing`,
    );
    const two = await traceFile(
      [0, 1].map(() => ({ input_length: 4, output_length: 1 })),
      "two.jsonl",
    );
    await expect(
      runBench(options(server.url, two, { preflight: true, warmup: 1, numRequests: 2 })),
    ).rejects.toThrow("1 warm-up + 2 measured records need more than the 2 records of");
    expect(server.received).toHaveLength(0);
  });

  it("refuses the flags a trace does not take", () => {
    const ok = options("http://h:1", "t.jsonl");
    expect(() => resolveBenchOptions({ ...ok, concurrency: [4] })).toThrow(
      "a trace is sent at its timestamps",
    );
    expect(() => resolveBenchOptions({ ...ok, isl: 100 })).toThrow(
      "--isl does not apply to --workload trace",
    );
    expect(() => resolveBenchOptions({ ...ok, traceSpeedup: 0 })).toThrow(
      "--trace-speedup expects a positive number, got 0",
    );
    expect(() =>
      resolveBenchOptions({
        baseUrl: "http://h:1",
        model: "m",
        isl: 8,
        osl: 8,
        concurrency: [1],
        traceBlockSize: 64,
      }),
    ).toThrow("--trace-block-size applies to --workload trace only, not random");
    expect(resolveBenchOptions(ok)).toMatchObject({
      mode: "trace",
      levels: [1],
      traceBlockSize: 8,
      traceSpeedup: 1,
    });
  });
});
