import type { RequestRecord } from "@infermark/core";
import { eventLogFor } from "../client/event-log.js";

/**
 * The completed measured replies of a level whose token events (two or more) all came in one socket read, so
 * share one stamp (METRICS.md): their per-token timing was not seen, though the server spent time on each token.
 * The aggregation leaves them out of TPOT and interactivity, as it does a non-streamed reply (the formula,
 * `(E2EL - TTFT) / (N - 1)`, would read 0); their inter-token gaps are 0. vLLM's and AIPerf's clients read such a
 * reply as a TPOT of about 0 (AIPerf stamps a read's events alike, vLLM microseconds apart). The point says how many
 * there were (`extra.oneReadReplies`): a server or proxy that buffers its stream, or a client too busy to read
 * between events, makes them.
 * @example oneReadReplies(records) // 3
 */
export function oneReadReplies(records: readonly RequestRecord[]): number {
  let n = 0;
  for (const r of records) {
    if (r.warmup || r.error || (r.outputTokens !== undefined && r.outputTokens < 2)) continue;
    if (eventLogFor(r).tokensInOneRead()) n++;
  }
  return n;
}
