import type { SessionReport } from "@infermark/bench";
import type { PointResult } from "@infermark/core";
import { renderTable } from "./output.js";

const ms = (s: number | undefined) => (s === undefined ? "-" : (s * 1000).toFixed(1));
const tokens = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(0));

/**
 * The console lines of a session point's `extra.session`: sessions, TTFT of first and later turns, and a row per
 * turn (requests, TTFT, input tokens with the history, cached tokens when the server reports them; when no response
 * did, a line that says so and why, for the point's framework). Empty for other points.
 * @example turnTable(point) // "Sessions 12 (0 ended by a failed turn); TTFT median turn 1 ..."
 */
export function turnTable(point: PointResult): string {
  const report = point.extra?.session as SessionReport | undefined;
  if (!report) return "";
  const cached = report.turns.some((t) => t.cachedTokensMedian !== undefined);
  const header = ["turn", "requests", "TTFT median (ms)", "input tokens median"];
  if (cached) header.push("cached tokens median");
  const rows = report.turns.map((t) => {
    const row = [
      String(t.turn),
      `${t.completed}/${t.requests}`,
      ms(t.ttftMedianS),
      tokens(t.inputTokensMedian),
    ];
    if (cached) row.push(tokens(t.cachedTokensMedian));
    return row;
  });
  return [
    `Sessions ${report.sessions} (${report.endedByFailure} ended by a failed turn); TTFT median turn 1 ${ms(report.ttftFirstTurnMedianS)} ms, ${report.ttftLaterTurnsMedianS === undefined ? "no later turns" : `later turns ${ms(report.ttftLaterTurnsMedianS)} ms`}`,
    renderTable(header, rows),
    ...(cached ? [] : [notReported(point.config.framework)]),
    "",
  ].join("\n");
}

/**
 * Why no response carried `usage.prompt_tokens_details.cached_tokens`, by framework: a missing column would read as
 * a cache that served nothing. The engines' behaviour at the shipped recipes' versions (docs/bench.md).
 */
function notReported(framework: string): string {
  const f = framework.toLowerCase();
  const why = f.startsWith("dynamo")
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
  return `Cached tokens: not reported (no response carried usage.prompt_tokens_details.cached_tokens; ${why}; docs/bench.md, "Cached tokens by engine")`;
}
