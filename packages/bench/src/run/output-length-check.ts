import type { RequestRecord } from "@infermark/core";

/** How output lengths compared with what was asked (`max_tokens`), by server usage counts. */
export interface OutputLengthSummary {
  checked: number;
  /** More tokens than `max_tokens`: the server ignored it. */
  exceeded: number;
  /** Fewer tokens than asked while the output was forced (the server stopped at EOS anyway). */
  short: number;
}

/**
 * Compares each completed measured request's usage-reported output with its `max_tokens`.
 * Any excess makes the point invalid (the workload was not what was asked); short outputs under a
 * forced length are counted and reported only.
 */
export function outputLengthCheck(
  records: readonly RequestRecord[],
  forced: boolean,
): { summary: OutputLengthSummary; invalidReason?: string } {
  const summary: OutputLengthSummary = { checked: 0, exceeded: 0, short: 0 };
  for (const r of records) {
    if (r.warmup || r.error || r.outputTokensSource !== "usage") continue;
    if (r.outputTokens === undefined || r.requestedOutputTokens === undefined) continue;
    summary.checked++;
    if (r.outputTokens > r.requestedOutputTokens) summary.exceeded++;
    else if (forced && r.outputTokens < r.requestedOutputTokens) summary.short++;
  }
  return summary.exceeded > 0
    ? {
        summary,
        invalidReason: `server ignored max_tokens: ${summary.exceeded} of ${summary.checked} requests returned more tokens than asked`,
      }
    : { summary };
}
