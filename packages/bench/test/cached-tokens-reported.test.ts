import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runBench, type SessionReport, type TraceReport } from "../src/index.js";
import { type Received, type ScriptedServer, sse, startScriptedServer } from "./scripted-server.js";
import { RELAXED } from "./small-level.js";

// A server that sends `usage.prompt_tokens_details.cached_tokens` on some responses only, as Dynamo's SGLang worker
// does (only for a request whose prompt hit the cache): the point's shares and medians must not describe the
// requests that carried the field as if they were all of them.

/** Answers each generation with one token and usage of `promptTokens`, plus `cached(r, n)` when it is a number. */
function serve(
  promptTokens: number,
  cached: (r: Received, n: number) => number | undefined,
): Promise<ScriptedServer> {
  let n = 0;
  return startScriptedServer((r) => {
    if (r.path.endsWith("/models"))
      return { contentType: "application/json", writes: ['{"object":"list","data":[]}'] };
    const c = cached(r, n++);
    const chat = r.path.endsWith("/chat/completions");
    const piece = chat ? { delta: { content: "x" } } : { text: "x" };
    return {
      writes: [
        sse({ choices: [{ index: 0, ...piece, finish_reason: "length" }] }),
        sse({
          choices: [],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: 1,
            ...(c === undefined ? {} : { prompt_tokens_details: { cached_tokens: c } }),
          },
        }),
        sse("[DONE]"),
      ],
    };
  });
}

let dir: string;
let server: ScriptedServer | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infermark-cached-reported-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** `extra.trace` of a 4-record trace replay (one in flight) against a server whose n-th answer caches `cached[n]`. */
async function traceRun(cached: (number | undefined)[]): Promise<TraceReport> {
  const dataset = join(dir, "t.jsonl");
  const records = [0, 10, 20, 30].map((timestamp) => ({
    timestamp,
    input_length: 4,
    output_length: 1,
  }));
  await writeFile(dataset, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
  server = await serve(100, (_, n) => cached[n]);
  const { levels } = await runBench({
    baseUrl: server.url,
    model: "m",
    workload: "trace",
    dataset,
    traceBlockSize: 8,
    maxConcurrency: 1,
    healthBounds: RELAXED,
  });
  return levels[0]!.point.extra!.trace as TraceReport;
}

describe("cached tokens that some responses leave out", () => {
  it("trace: gives cachedShare only when every completed request reported, else the share with the others as 0", async () => {
    const some = await traceRun([undefined, 64, undefined, 32]);
    expect({ ...some, sendSlipMs: undefined, sendSlipMaxMs: undefined }).toEqual({
      warmupRecords: 0,
      measuredRecords: 4,
      maxConcurrency: 1,
      sendSlipMs: undefined,
      sendSlipMaxMs: undefined,
      sendsLate: some.sendsLate,
      lateOverMs: some.lateOverMs,
      requestsCompleted: 4,
      requestsReportingCached: 2,
      // the two that reported: 96 of their 200 prompt tokens; no cachedShare (it would say 48%)
      promptTokens: 200,
      cachedPromptTokens: 96,
      // over all four requests' 400 prompt tokens, the two without the field counted as none cached
      completedPromptTokens: 400,
      cachedShareUnreportedAsZero: 0.24,
      shareableTokens: 0,
      shareableShare: 0,
    });
    const all = await traceRun([0, 64, 0, 32]);
    expect(all).toMatchObject({
      requestsCompleted: 4,
      requestsReportingCached: 4,
      promptTokens: 400,
      cachedPromptTokens: 96,
      cachedShare: 0.24,
    });
    expect(all.cachedShareUnreportedAsZero).toBeUndefined();
    expect(all.completedPromptTokens).toBeUndefined();
    const none = await traceRun([undefined, undefined, undefined, undefined]);
    expect(none).toMatchObject({ requestsCompleted: 4, requestsReportingCached: 0 });
    for (const k of [
      "promptTokens",
      "cachedPromptTokens",
      "cachedShare",
      "cachedShareUnreportedAsZero",
    ])
      expect(none).not.toHaveProperty(k);
  });

  it("sessions: a turn's median is of all its completed requests, the unreported counted as 0 when some did not report", async () => {
    // turn 1 never hits (no field), turn 2 hits for the first session to send it only
    let secondTurns = 0;
    server = await serve(50, (r) => {
      const turn = (r.body.messages as unknown[]).length === 1 ? 1 : 2;
      return turn === 2 && secondTurns++ === 0 ? 40 : undefined;
    });
    const { levels } = await runBench({
      baseUrl: server.url,
      model: "m",
      api: "chat",
      workload: "multi-turn",
      isl: 6,
      osl: 1,
      rangeRatio: 1,
      turns: 2,
      concurrency: [1],
      numRequests: 4,
      warmup: 0,
      healthBounds: RELAXED,
    });
    const report = levels[0]!.point.extra!.session as SessionReport;
    expect(report.requestsCompleted).toBe(4);
    expect(report.requestsReportingCached).toBe(1);
    expect(
      report.turns.map((t) => ({
        turn: t.turn,
        completed: t.completed,
        requestsReportingCached: t.requestsReportingCached,
        cachedTokensMedian: t.cachedTokensMedian,
        cachedTokensMedianUnreportedAsZero: t.cachedTokensMedianUnreportedAsZero,
      })),
    ).toEqual([
      {
        turn: 1,
        completed: 2,
        requestsReportingCached: 0,
        cachedTokensMedian: undefined,
        cachedTokensMedianUnreportedAsZero: 0,
      },
      // the old median of the one that reported said 40
      {
        turn: 2,
        completed: 2,
        requestsReportingCached: 1,
        cachedTokensMedian: undefined,
        cachedTokensMedianUnreportedAsZero: 20,
      },
    ]);
  });
});
