import type { TraceReport } from "@infermark/bench";
import { PointResult } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { pointJson } from "../../test/helpers.js";
import { traceLines } from "./trace-lines.js";

const base = {
  warmupRecords: 0,
  measuredRecords: 4,
  sendsLate: 0,
  lateOverMs: 10,
  requestsCompleted: 4,
  shareableTokens: 300,
  shareableShare: 0.75,
};
const point = (framework: string, report: TraceReport) => {
  const json = pointJson(4, { extra: { trace: report } });
  const trace = { file: "t.jsonl", sha256: "a".repeat(64), records: 4, blockSize: 512, speedup: 1 };
  return PointResult.parse({
    ...json,
    config: { ...json.config, framework, workload: { ...json.config.workload, trace } },
  });
};
const cacheLine = (framework: string, report: TraceReport) =>
  traceLines(point(framework, report)).split("\n").at(-1);

describe("traceLines", () => {
  it("gives the server's share with how many requests reported it, when all did", () => {
    const all = {
      ...base,
      requestsReportingCached: 4,
      promptTokens: 400,
      cachedPromptTokens: 96,
      cachedShare: 0.24,
    };
    expect(traceLines(point("vllm", all)).split("\n")).toEqual([
      "Trace t.jsonl (4 records, sha256 aaaaaaaaaaaa), blocks of 512 tokens, x1",
      "Sends behind the trace's times: -",
      "Prefix cache: server cached 96 of 400 prompt tokens (24.0%; 4 of 4 requests reported); the hash ids share 300 (75.0%)",
    ]);
  });

  it("says which denominator it takes when some requests did not report, and why they may not", () => {
    const some = {
      ...base,
      requestsReportingCached: 3,
      promptTokens: 300,
      cachedPromptTokens: 96,
      completedPromptTokens: 400,
      cachedShareUnreportedAsZero: 0.24,
    };
    expect(cacheLine("dynamo-sglang", some)).toBe(
      "Prefix cache: server cached 96 of 400 prompt tokens (24.0%), counting the 1 request without usage.prompt_tokens_details.cached_tokens as 0 (3 of 4 requests reported; Dynamo sends it only for a request whose prompt hit the prefix cache); the hash ids share 300 (75.0%)",
    );
  });

  it("says not reported, with the framework's reason, when no response carried the field", () => {
    const none = { ...base, requestsReportingCached: 0 };
    expect(cacheLine("sglang", none)).toBe(
      'Prefix cache: not reported (no response carried usage.prompt_tokens_details.cached_tokens; SGLang sends it only when started with --enable-cache-report; docs/bench.md, "Cached tokens by engine"); the hash ids share 300 (75.0%)',
    );
    expect(cacheLine("sglang", { ...none, requestsCompleted: 0 })).toBe(
      "Prefix cache: no measured request completed; the hash ids share 300 (75.0%)",
    );
  });
});
