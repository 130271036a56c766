import type { SessionReport } from "@infermark/bench";
import type { PointResult } from "@infermark/core";
import { renderTable } from "./output.js";

const ms = (s: number | undefined) => (s === undefined ? "-" : (s * 1000).toFixed(1));
const tokens = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(0));

/**
 * The console lines of a session point's `extra.session`: sessions, TTFT of first and later turns, and a row per
 * turn (requests, TTFT, input tokens with the history, cached tokens when the server reports them, with how many of
 * the turn's completed requests did; when some did not, a line that says the medians count those as 0, and why; when
 * none did, a line that says so and why, for the point's framework). Empty for other points.
 * @example turnTable(point) // "Sessions 12 (0 ended by a failed turn); TTFT median turn 1 ..."
 */
export function turnTable(point: PointResult): string {
  const report = point.extra?.session as SessionReport | undefined;
  if (!report) return "";
  const framework = point.config.framework;
  const medianOf = (t: SessionReport["turns"][number]) =>
    t.cachedTokensMedian ?? t.cachedTokensMedianUnreportedAsZero;
  const cached = report.turns.some((t) => medianOf(t) !== undefined);
  const header = ["turn", "requests", "TTFT median (ms)", "input tokens median"];
  if (cached) header.push("cached tokens median", "cached reported");
  const rows = report.turns.map((t) => {
    const row = [
      String(t.turn),
      `${t.completed}/${t.requests}`,
      ms(t.ttftMedianS),
      tokens(t.inputTokensMedian),
    ];
    if (cached)
      row.push(
        tokens(medianOf(t)),
        t.requestsReportingCached === undefined
          ? "-"
          : `${t.requestsReportingCached}/${t.completed}`,
      );
    return row;
  });
  const some =
    cached && report.requestsReportingCached < report.requestsCompleted
      ? [
          `Cached tokens: ${report.requestsReportingCached} of ${report.requestsCompleted} requests reported usage.prompt_tokens_details.cached_tokens; a turn's median counts a request without it as 0 (${cachedTokensReason(framework)}; docs/bench.md, "Cached tokens by engine")`,
        ]
      : [];
  return [
    `Sessions ${report.sessions} (${report.endedByFailure} ended by a failed turn); TTFT median turn 1 ${ms(report.ttftFirstTurnMedianS)} ms, ${report.ttftLaterTurnsMedianS === undefined ? "no later turns" : `later turns ${ms(report.ttftLaterTurnsMedianS)} ms`}`,
    renderTable(header, rows),
    ...some,
    ...(cached ? [] : [`Cached tokens: ${cachedTokensNotReported(framework)}`]),
    "",
  ].join("\n");
}

/**
 * What a point says when no response carried `usage.prompt_tokens_details.cached_tokens`: a missing figure would read
 * as a cache that served nothing. The session table and a trace replay's prefix-cache line both use it.
 * @example cachedTokensNotReported("vllm") // "not reported (no response carried ...; vLLM sends it only when ...)"
 */
export function cachedTokensNotReported(framework: string): string {
  return `not reported (no response carried usage.prompt_tokens_details.cached_tokens; ${cachedTokensReason(framework)}; docs/bench.md, "Cached tokens by engine")`;
}

/**
 * Why a response may leave out `usage.prompt_tokens_details.cached_tokens`, by framework (`config.framework`): the
 * engines' behaviour at the shipped recipes' versions (docs/bench.md, "Cached tokens by engine").
 * @example cachedTokensReason("dynamo-sglang") // "Dynamo sends it only for a request whose prompt hit the prefix cache"
 */
export function cachedTokensReason(framework: string): string {
  const f = framework.toLowerCase();
  return f.startsWith("dynamo")
    ? "Dynamo sends it only for a request whose prompt hit the prefix cache"
    : f.startsWith("vllm")
      ? "vLLM sends it only when started with --enable-prompt-tokens-details"
      : f.startsWith("sglang")
        ? "SGLang sends it only when started with --enable-cache-report"
        : f === "trt" || f.startsWith("trtllm") || f.startsWith("tensorrt")
          ? "trtllm-serve of TensorRT-LLM 1.0.0 never sends it"
          : f === "sim"
            ? "infermark sim serve sends it only with --enable-prompt-tokens-details"
            : "this server may not report it";
}
