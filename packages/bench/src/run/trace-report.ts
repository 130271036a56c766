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
  /** Prompt tokens of the measured requests whose usage gave `cached_tokens`, and their sum of it. */
  promptTokens?: number;
  cachedPromptTokens?: number;
  /** cachedPromptTokens / promptTokens. */
  cachedShare?: number;
  requestsReportingCached: number;
  /** Input tokens of the measured Mooncake records a prefix cache could serve by their hash ids, and their share. */
  shareableTokens: number;
  shareableShare?: number;
}

/**
 * What a trace replay adds to its point: how well the schedule was kept (the cap, the sends' slip behind the
 * trace's times) and the prefix cache: the server's `cached_tokens` beside what the hash ids let it share.
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
  const cached = measured.filter((r) => !r.error && r.cachedPromptTokens !== undefined);
  const promptTokens = sum(cached.map((r) => r.promptTokens ?? 0));
  const cachedTokens = sum(cached.map((r) => r.cachedPromptTokens!));
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
    ...(cached.length > 0
      ? {
          promptTokens,
          cachedPromptTokens: cachedTokens,
          ...(promptTokens > 0 ? { cachedShare: round(cachedTokens / promptTokens) } : {}),
        }
      : {}),
    requestsReportingCached: cached.length,
    shareableTokens: share.tokens,
    ...(share.total > 0 ? { shareableShare: round(share.tokens / share.total) } : {}),
  };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const round = (x: number) => Math.round(x * 1e4) / 1e4;
