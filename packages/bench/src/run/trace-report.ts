import { maxOf, type RequestRecord, type Stats, summarize } from "@infermark/core";
import type { LevelPlan } from "../load/run-level.js";
import type { TraceWorkload } from "../workload/trace-workload.js";

/** `extra.trace` of a trace replay's point. */
export interface TraceReport {
  warmupRecords: number;
  measuredRecords: number;
  /** The cap on requests in flight, when the schedule had one. */
  maxConcurrency?: number;
  /** How far measured sends fell behind their trace time (ms; `tSend - tSched`, the engine's under a time scale). */
  sendSlipMs?: Stats;
  sendSlipMaxMs?: number;
  /** Measured sends more than `lateOverMs` behind their trace time. */
  sendsLate: number;
  lateOverMs: number;
  /**
   * Measured requests that completed, and of those the ones whose usage gave `cached_tokens` (a server may send it
   * for some only: Dynamo's SGLang worker leaves it out of a request with no hit).
   */
  requestsCompleted: number;
  requestsReportingCached: number;
  /** Prompt tokens of the requests that reported `cached_tokens`, and their sum of it (when one did). */
  promptTokens?: number;
  cachedPromptTokens?: number;
  /** cachedPromptTokens / promptTokens, only when every completed request reported (then it is their share). */
  cachedShare?: number;
  /**
   * When some completed requests reported and some did not: the prompt tokens of all completed requests, and
   * cachedPromptTokens over them, a request without the field counted as none cached (what Dynamo means by leaving
   * it out; a lower bound for a server that drops it otherwise).
   */
  completedPromptTokens?: number;
  cachedShareUnreportedAsZero?: number;
  /** Input tokens of the measured Mooncake records a prefix cache could serve by their hash ids, and their share. */
  shareableTokens: number;
  shareableShare?: number;
}

/**
 * What a trace replay adds to its point: how well the schedule was kept (the cap, the sends' slip behind the
 * trace's times) and the prefix cache: the server's `cached_tokens` beside what the hash ids let it share. The
 * share is over the requests that reported `cached_tokens` only when every completed request did; otherwise
 * `cachedShareUnreportedAsZero` says which denominator it takes.
 * @example traceReport(records, plan, workload, 10).cachedShare
 */
export function traceReport(
  records: readonly RequestRecord[],
  plan: LevelPlan,
  workload: TraceWorkload,
  lateOverMs: number,
): TraceReport {
  const measured = records.filter((r) => !r.warmup);
  const slips = measured.map((r) => r.tSend - r.tSched);
  const completed = measured.filter((r) => !r.error);
  const cached = completed.filter((r) => r.cachedPromptTokens !== undefined);
  const promptTokens = sum(cached.map((r) => r.promptTokens ?? 0));
  const cachedTokens = sum(cached.map((r) => r.cachedPromptTokens!));
  const completedPromptTokens = sum(completed.map((r) => r.promptTokens ?? 0));
  const allReported = cached.length === completed.length;
  const requests = plan.requests ?? measured.length;
  const share = workload.shareable(plan.warmup, plan.warmup + requests);
  const sendSlipMs = summarize(slips);
  return {
    warmupRecords: plan.warmup,
    measuredRecords: requests,
    ...(plan.concurrency !== undefined ? { maxConcurrency: plan.concurrency } : {}),
    ...(sendSlipMs ? { sendSlipMs, sendSlipMaxMs: maxOf(slips) } : {}),
    sendsLate: slips.filter((s) => s > lateOverMs).length,
    lateOverMs,
    requestsCompleted: completed.length,
    requestsReportingCached: cached.length,
    ...(cached.length > 0 ? { promptTokens, cachedPromptTokens: cachedTokens } : {}),
    ...(cached.length > 0 && allReported && promptTokens > 0
      ? { cachedShare: round(cachedTokens / promptTokens) }
      : {}),
    ...(cached.length > 0 && !allReported
      ? {
          completedPromptTokens,
          ...(completedPromptTokens > 0
            ? { cachedShareUnreportedAsZero: round(cachedTokens / completedPromptTokens) }
            : {}),
        }
      : {}),
    shareableTokens: share.tokens,
    ...(share.total > 0 ? { shareableShare: round(share.tokens / share.total) } : {}),
  };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const round = (x: number) => Math.round(x * 1e4) / 1e4;
