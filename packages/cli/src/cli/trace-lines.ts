import type { TraceReport } from "@infermark/bench";
import type { PointResult } from "@infermark/core";

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
  const cached =
    report.cachedPromptTokens !== undefined
      ? `server cached ${report.cachedPromptTokens} of ${report.promptTokens} prompt tokens (${pct(report.cachedShare)})`
      : "server reported no cached tokens";
  return [
    `Trace ${trace.file} (${trace.records} records, sha256 ${trace.sha256.slice(0, 12)}), blocks of ${trace.blockSize} tokens, x${trace.speedup}${cap}`,
    `Sends behind the trace's times: ${slip}`,
    `Prefix cache: ${cached}; the hash ids share ${report.shareableTokens} (${pct(report.shareableShare)})`,
  ].join("\n");
}
