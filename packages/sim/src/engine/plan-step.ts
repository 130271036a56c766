import type { EngineLimits } from "../config/defaults.js";
import type { BatchShape } from "../perf/step-time.js";
import type { Worker } from "./worker.js";

/**
 * Plans a worker's next step into `w.decoding` and `w.prefilling`: one token (plus drafts) for every running
 * request that has its KV, then chunks of prefill, oldest first, up to the step's token budget. Undefined when
 * there is nothing to run.
 */
export function planStep(w: Worker, limits: EngineLimits): BatchShape | undefined {
  const decoding = w.decoding;
  const prefilling = w.prefilling;
  decoding.length = 0;
  prefilling.length = 0;
  let decodeContext = 0;
  for (const l of w.running) {
    if (l.computed >= l.target && w.role !== "prefill") {
      decoding.push(l);
      decodeContext += l.req.isl + l.generated;
    }
  }
  const draft = w.model.draftTokens;
  let budget = limits.maxBatchedTokens - decoding.length * (1 + draft);
  let prefillTokens = 0;
  let prefillPairs = 0;
  for (const l of w.running) {
    if (budget <= 0) break;
    if (l.computed >= l.target) continue;
    const n = Math.min(l.target - l.computed, limits.chunkedPrefill, budget);
    prefilling.push({ live: l, tokens: n });
    prefillTokens += n;
    prefillPairs += n * (l.computed + n / 2);
    budget -= n;
  }
  if (decoding.length === 0 && prefilling.length === 0) return undefined;
  return {
    decodeRequests: decoding.length,
    decodeContext,
    prefillTokens,
    prefillPairs,
    prefillRequests: prefilling.length,
  };
}
