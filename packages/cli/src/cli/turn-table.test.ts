import type { SessionReport } from "@infermark/bench";
import { PointResult } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { pointJson } from "../../test/helpers.js";
import { turnTable } from "./turn-table.js";

/** Two turns of two completed requests each; `cached[i]` the i-th turn's median, of all two when `reported[i]` is 2. */
const session = (
  cached: (number | undefined)[],
  reported: number[] = cached.map((c) => (c === undefined ? 0 : 2)),
): SessionReport => ({
  sessions: 2,
  requestsCompleted: 2 * cached.length,
  requestsReportingCached: reported.reduce((a, b) => a + b, 0),
  endedByFailure: 0,
  ttftFirstTurnMedianS: 0.1105,
  ttftLaterTurnsMedianS: 0.1324,
  turns: cached.map((c, i) => ({
    turn: i + 1,
    requests: 2,
    completed: 2,
    ttftMedianS: 0.1 + i / 100,
    inputTokensMedian: 1000 * (i + 1),
    requestsReportingCached: reported[i]!,
    ...(c === undefined
      ? {}
      : reported[i] === 2
        ? { cachedTokensMedian: c }
        : { cachedTokensMedianUnreportedAsZero: c }),
  })),
});
const point = (framework: string, report: SessionReport) => {
  const json = pointJson(4, { extra: { session: report } });
  return PointResult.parse({ ...json, config: { ...json.config, framework } });
};

describe("turnTable", () => {
  it("shows the server's cached tokens by turn when a response reported them", () => {
    expect(turnTable(point("vllm", session([448, 1472]))).split("\n")).toEqual([
      "Sessions 2 (0 ended by a failed turn); TTFT median turn 1 110.5 ms, later turns 132.4 ms",
      "turn  requests  TTFT median (ms)  input tokens median  cached tokens median  cached reported",
      "----  --------  ----------------  -------------------  --------------------  ---------------",
      "1          2/2             100.0                 1000                   448              2/2",
      "2          2/2             110.0                 2000                  1472              2/2",
      "",
    ]);
  });

  it("says how many requests reported cached tokens when some did not, and that the medians count those as 0", () => {
    // Dynamo: no first turn hit, one of the two second turns did
    expect(turnTable(point("dynamo-sglang", session([0, 736], [0, 1]))).split("\n")).toEqual([
      "Sessions 2 (0 ended by a failed turn); TTFT median turn 1 110.5 ms, later turns 132.4 ms",
      "turn  requests  TTFT median (ms)  input tokens median  cached tokens median  cached reported",
      "----  --------  ----------------  -------------------  --------------------  ---------------",
      "1          2/2             100.0                 1000                     0              0/2",
      "2          2/2             110.0                 2000                   736              1/2",
      'Cached tokens: 1 of 4 requests reported usage.prompt_tokens_details.cached_tokens; a turn\'s median counts a request without it as 0 (Dynamo sends it only for a request whose prompt hit the prefix cache; docs/bench.md, "Cached tokens by engine")',
      "",
    ]);
  });

  it("says when no response reported cached tokens, and why for the point's framework, not a silent gap", () => {
    const note = (framework: string) =>
      turnTable(point(framework, session([undefined, undefined])))
        .split("\n")
        .at(-2);
    const line = (why: string) =>
      `Cached tokens: not reported (no response carried usage.prompt_tokens_details.cached_tokens; ${why}; docs/bench.md, "Cached tokens by engine")`;
    expect(
      turnTable(point("vllm", session([undefined])))
        .split("\n")
        .slice(1, 3),
    ).toEqual([
      "turn  requests  TTFT median (ms)  input tokens median",
      "----  --------  ----------------  -------------------",
    ]);
    expect(note("vllm")).toBe(
      line("vLLM sends it only when started with --enable-prompt-tokens-details"),
    );
    expect(note("sglang")).toBe(
      line("SGLang sends it only when started with --enable-cache-report"),
    );
    // the shipped recipes' framework names, and bench's backend presets
    expect(note("trt")).toBe(line("trtllm-serve of TensorRT-LLM 1.0.0 never sends it"));
    expect(note("trtllm")).toBe(line("trtllm-serve of TensorRT-LLM 1.0.0 never sends it"));
    expect(note("dynamo-sglang")).toBe(
      line("Dynamo sends it only for a request whose prompt hit the prefix cache"),
    );
    expect(note("sim")).toBe(
      line("infermark sim serve sends it only with --enable-prompt-tokens-details"),
    );
    expect(note("llamacpp")).toBe(line("this server may not report it"));
  });
});
