import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionReport, TraceReport } from "@infermark/bench";
import type { PointResult } from "@infermark/core";
import { createSimServer } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "./helpers.js";

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "infermark-cached-tokens-"));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** `infermark bench --workload multi-turn` against a simulator that reports cached tokens or not; its stdout. */
async function sessionRun(promptTokensDetails: boolean): Promise<string> {
  const sim = createSimServer({
    sim: { model: "dsr1", hardware: "h200", tp: 8 },
    speed: 20,
    promptTokensDetails,
  });
  const { port } = await sim.listen(0);
  try {
    const r = await runCliInProcess([
      ...["bench", "--base-url", `http://127.0.0.1:${port}`, "--model", "dsr1", "--api", "chat"],
      ...["--workload", "multi-turn", "--turns", "2", "--isl", "200", "--osl", "10"],
      ...["--range-ratio", "1", "--concurrency", "1", "--num-requests", "4", "--warmup", "0"],
      ...["--max-client-lag", "100000", "--output-dir", out],
    ]);
    expect([r.code, r.stderr.match(/INVALID.*/)?.[0]]).toEqual([0, undefined]);
    return r.stdout;
  } finally {
    await sim.close();
  }
}

describe("bench's session table and per-request cached tokens", () => {
  it("says the server reported none and how to turn them on, instead of only leaving the column out", async () => {
    const lines = (await sessionRun(false)).split("\n");
    expect(lines.filter((l) => l.startsWith("turn "))).toEqual([
      "turn  requests  TTFT median (ms)  input tokens median",
    ]);
    expect(lines.filter((l) => l.startsWith("Cached tokens"))).toEqual([
      'Cached tokens: not reported (no response carried usage.prompt_tokens_details.cached_tokens; infermark sim serve sends it only with --enable-prompt-tokens-details; docs/bench.md, "Cached tokens by engine")',
    ]);
  });

  it("shows them by turn, with no such line, when the server reports them", async () => {
    const lines = (await sessionRun(true)).split("\n");
    expect(lines.filter((l) => l.startsWith("turn "))).toEqual([
      "turn  requests  TTFT median (ms)  input tokens median  cached tokens median  cached reported",
    ]);
    // every request reported: 2 of 2 in each turn, and no line under the table
    expect(lines.filter((l) => /^[12] /.test(l)).map((l) => l.trim().split(/\s+/).at(-1))).toEqual([
      "2/2",
      "2/2",
    ]);
    expect(lines.filter((l) => l.startsWith("Cached tokens"))).toEqual([]);
  });
});

// Mooncake's 512-token blocks over the simulator's 64-token ones: records 2 and 3 share record 1's first block
const TRACE = [
  { timestamp: 0, input_length: 600, output_length: 4, hash_ids: [1, 2] },
  { timestamp: 50, input_length: 600, output_length: 4, hash_ids: [1, 3] },
  { timestamp: 100, input_length: 600, output_length: 4, hash_ids: [1, 4] },
];

/** `infermark bench --workload trace` of TRACE, one in flight, against `url` (`more` flags); its prefix-cache line. */
async function traceRun(url: string, more: string[] = []): Promise<string | undefined> {
  const file = join(out, "trace.jsonl");
  await writeFile(file, TRACE.map((r) => `${JSON.stringify(r)}\n`).join(""));
  const r = await runCliInProcess([
    ...["bench", "--base-url", url, "--model", "dsr1", "--workload", "trace", "--dataset", file],
    ...["--max-concurrency", "1", "--max-client-lag", "100000", "--output-dir", out, ...more],
  ]);
  expect([r.code, r.stderr.match(/INVALID.*/)?.[0]]).toEqual([0, undefined]);
  return r.stdout.split("\n").find((l) => l.startsWith("Prefix cache:"));
}

async function simTraceRun(promptTokensDetails: boolean): Promise<string | undefined> {
  const sim = createSimServer({
    sim: { model: "dsr1", hardware: "h200", tp: 8 },
    speed: 20,
    promptTokensDetails,
  });
  const { port } = await sim.listen(0);
  try {
    return await traceRun(`http://127.0.0.1:${port}`);
  } finally {
    await sim.close();
  }
}

describe("bench's trace prefix-cache line", () => {
  it("says not reported, and why, against a simulator without --enable-prompt-tokens-details", async () => {
    expect(await simTraceRun(false)).toBe(
      'Prefix cache: not reported (no response carried usage.prompt_tokens_details.cached_tokens; infermark sim serve sends it only with --enable-prompt-tokens-details; docs/bench.md, "Cached tokens by engine"); the hash ids share 1024 (56.9%)',
    );
  });

  it("gives the share and that every request reported it, against one with the flag", async () => {
    // the first record's 8 full 64-token blocks of the shared 512-token block, for each of the other two
    expect(await simTraceRun(true)).toBe(
      "Prefix cache: server cached 1024 of 1800 prompt tokens (56.9%; 3 of 3 requests reported); the hash ids share 1024 (56.9%)",
    );
  });
});

/**
 * A server that answers as Dynamo's SGLang worker does: `cached_tokens` only for a request that hit. Here the
 * second request of each pair hits for 64 tokens; every prompt is 100 tokens.
 */
async function dynamoLike(): Promise<{ url: string; close: () => Promise<void> }> {
  let n = 0;
  const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const server = createServer(async (req, res) => {
    await new Promise((done) => req.resume().on("end", done));
    const path = req.url ?? "";
    if (!path.endsWith("/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"Not Found"}');
      return;
    }
    const chat = path.endsWith("/chat/completions");
    const hit = n++ % 2 === 1;
    const usage = {
      prompt_tokens: 100,
      completion_tokens: 1,
      ...(hit ? { prompt_tokens_details: { cached_tokens: 64 } } : {}),
    };
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(
      sse({
        choices: [
          {
            index: 0,
            ...(chat ? { delta: { content: "w" } } : { text: "w" }),
            finish_reason: "length",
          },
        ],
      }) +
        sse({ choices: [], usage }) +
        "data: [DONE]\n\n",
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("against a server that reports cached tokens only for a hit (Dynamo)", () => {
  it("trace: the share over every completed request, the unreported as 0, and how many reported", async () => {
    const server = await dynamoLike();
    try {
      const line = await traceRun(server.url, ["--framework", "dynamo-sglang", "--no-preflight"]);
      // one of three requests reported 64 cached tokens: 64 of 300, not 64 of the 100 that reported (64%)
      expect(line).toBe(
        "Prefix cache: server cached 64 of 300 prompt tokens (21.3%), counting the 2 requests without usage.prompt_tokens_details.cached_tokens as 0 (1 of 3 requests reported; Dynamo sends it only for a request whose prompt hit the prefix cache); the hash ids share 1024 (56.9%)",
      );
      const point = JSON.parse(
        await readFile(join(out, "point-trace.json"), "utf8"),
      ) as PointResult;
      expect(point.extra!.trace as TraceReport).toMatchObject({
        requestsCompleted: 3,
        requestsReportingCached: 1,
        promptTokens: 100,
        cachedPromptTokens: 64,
        completedPromptTokens: 300,
        cachedShareUnreportedAsZero: 0.2133,
      });
      expect(point.extra!.trace).not.toHaveProperty("cachedShare");
    } finally {
      await server.close();
    }
  });

  it("sessions: each turn's median counts the unreported as 0, and the table says how many reported", async () => {
    const server = await dynamoLike();
    try {
      const r = await runCliInProcess([
        ...["bench", "--base-url", server.url, "--model", "m", "--api", "chat"],
        ...[
          "--workload",
          "multi-turn",
          "--turns",
          "2",
          "--isl",
          "20",
          "--osl",
          "1",
          "--range-ratio",
          "1",
        ],
        ...["--concurrency", "1", "--num-requests", "4", "--warmup", "0", "--no-preflight"],
        ...["--framework", "dynamo-sglang", "--max-client-lag", "100000", "--output-dir", out],
      ]);
      expect([r.code, r.stderr.match(/INVALID.*/)?.[0]]).toEqual([0, undefined]);
      const lines = r.stdout.split("\n");
      const table = lines.findIndex((l) => l.startsWith("turn "));
      // one session at a time: turn 1, turn 2, turn 1, turn 2; the second request of each pair hit
      expect(lines.slice(table, table + 4)).toEqual([
        "turn  requests  TTFT median (ms)  input tokens median  cached tokens median  cached reported",
        "----  --------  ----------------  -------------------  --------------------  ---------------",
        expect.stringMatching(/^1 +2\/2 +[\d.]+ +100 +0 +0\/2$/),
        expect.stringMatching(/^2 +2\/2 +[\d.]+ +100 +64 +2\/2$/),
      ]);
      expect(lines.filter((l) => l.startsWith("Cached tokens"))).toEqual([
        'Cached tokens: 2 of 4 requests reported usage.prompt_tokens_details.cached_tokens; a turn\'s median counts a request without it as 0 (Dynamo sends it only for a request whose prompt hit the prefix cache; docs/bench.md, "Cached tokens by engine")',
      ]);
      const point = JSON.parse(await readFile(join(out, "point-c1.json"), "utf8")) as PointResult;
      const session = point.extra!.session as SessionReport;
      expect([session.requestsReportingCached, session.requestsCompleted]).toEqual([2, 4]);
      expect(
        session.turns.map((t) => [
          t.requestsReportingCached,
          t.cachedTokensMedian,
          t.cachedTokensMedianUnreportedAsZero,
        ]),
      ).toEqual([
        [0, undefined, 0],
        [2, 64, undefined],
      ]);
    } finally {
      await server.close();
    }
  });
});
