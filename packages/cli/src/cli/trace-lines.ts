import type { TraceReport } from "@infermark/bench";
import type { PointResult } from "@infermark/core";
import { cachedTokensNotReported, cachedTokensReason } from "./turn-table.js";

const pct = (x: number | undefined) => (x === undefined ? "-" : `${(x * 100).toFixed(1)}%`);

/**
 * The console lines of a trace replay's `extra.trace`: the trace, how well its schedule was kept, and the prefix
 * cache (the server's cached tokens beside what the hash ids let it share). Empty for other points.
 * @example traceLines(point) // "Trace sample.jsonl (40 records, sha256 93b6c8bc...), blocks of 512 tokens, x1\n..."
 */
export function traceLines(point: PointResult): string {
  const report = point.extra?.trace as TraceReport | undefined;
  const trace = point.config.workload.trace;
  if (!report || !trace) return "";
  const cap =
    report.maxConcurrency !== undefined ? `, capped at ${report.maxConcurrency} in flight` : "";
  const slip = report.sendSlipMs
    ? `p99 ${(report.sendSlipMs.p99 ?? 0).toFixed(1)} ms, max ${(report.sendSlipMaxMs ?? 0).toFixed(1)} ms; ${report.sendsLate} over ${report.lateOverMs} ms`
    : "-";
  return [
    `Trace ${trace.file} (${trace.records} records, sha256 ${trace.sha256.slice(0, 12)}), blocks of ${trace.blockSize} tokens, x${trace.speedup}${cap}`,
    `Sends behind the trace's times: ${slip}`,
    `Prefix cache: ${prefixCache(report, point.config.framework)}; the hash ids share ${report.shareableTokens} (${pct(report.shareableShare)})`,
  ].join("\n");
}

/** The server's cached tokens, with how many completed requests reported them and, when not all, over what. */
function prefixCache(report: TraceReport, framework: string): string {
  const { requestsReportingCached: reported, requestsCompleted: completed } = report;
  if (completed === 0) return "no measured request completed";
  if (reported === 0 || report.cachedPromptTokens === undefined)
    return cachedTokensNotReported(framework);
  const of = `${reported} of ${completed} requests reported`;
  if (reported === completed)
    return `server cached ${report.cachedPromptTokens} of ${report.promptTokens} prompt tokens (${pct(report.cachedShare)}; ${of})`;
  const without = completed - reported;
  return `server cached ${report.cachedPromptTokens} of ${report.completedPromptTokens} prompt tokens (${pct(report.cachedShareUnreportedAsZero)}), counting the ${without} request${without === 1 ? "" : "s"} without usage.prompt_tokens_details.cached_tokens as 0 (${of}; ${cachedTokensReason(framework)})`;
}
