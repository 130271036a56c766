import type { ErrorCategory, Stats } from "../schemas/common.js";
import type { ClientHealth, PointMetrics } from "../schemas/point-result.js";
import {
  type RequestRecord,
  type StreamEvent,
  TOKEN_EVENT_KINDS,
} from "../schemas/request-record.js";
import {
  mapStats,
  maxOf,
  minOf,
  NumberList,
  percentileSorted,
  summarize,
  summarizeInPlace,
} from "./stats.js";

/** Service-level objectives for goodput (seconds). */
export interface Slo {
  ttftS?: number;
  tpotS?: number;
  e2elS?: number;
}

export interface AggregateOptions {
  /** GPUs serving the point; prefill and decode default to `total` (aggregated serving). */
  gpus: { total: number; prefill?: number; decode?: number };
  /** SLOs for goodput; goodput is absent without them. */
  slo?: Slo;
  /** The client's own health over the run; a saturated client invalidates the point. */
  client?: ClientHealth;
  /** @default 0.05 */
  maxErrorRate?: number;
}

export const DEFAULT_MAX_ERROR_RATE = 0.05;

export interface Aggregation {
  metrics: PointMetrics;
  errors: {
    total: number;
    requests: number;
    rate: number;
    byCategory: Partial<Record<ErrorCategory, number>>;
  };
  validity: { valid: boolean; reasons: string[] };
}

/** Per-request figures derived from one record (seconds). */
export interface RequestTiming {
  ttft: number;
  e2el: number;
  tpot?: number;
  outputTokens: number;
  itl: number[];
  itlTokenWeighted?: number[];
}

const isTokenEvent = (e: StreamEvent) => TOKEN_EVENT_KINDS.has(e.kind);

/** Output tokens of a completed request: server usage, else re-tokenized, else per-event counts, else events. */
export function outputTokenCount(
  record: RequestRecord,
  tokenEvents: readonly StreamEvent[],
): number {
  if (record.outputTokens !== undefined) return record.outputTokens;
  if (tokenEvents.length > 0 && tokenEvents.every((e) => e.tokens !== undefined)) {
    return tokenEvents.reduce((s, e) => s + (e.tokens ?? 0), 0);
  }
  return tokenEvents.length;
}

/**
 * Timing of one successful request, per METRICS.md; undefined when it carried no token. TPOT is absent (not
 * measured) for a one-token response and for one whose tokens all came in one event (a non-streamed response).
 * Record times are ms; results are seconds.
 */
export function requestTiming(record: RequestRecord): RequestTiming | undefined {
  const tokenEvents = record.events.filter(isTokenEvent);
  const first = tokenEvents[0];
  const last = tokenEvents.at(-1);
  if (!first || !last) return undefined;
  const ttft = (first.t - record.tSend) / 1000;
  const e2el = (last.t - record.tSend) / 1000;
  const outputTokens = outputTokenCount(record, tokenEvents);
  const itl: number[] = [];
  const weighted: number[] = [];
  let weightsKnown = true;
  for (let i = 1; i < tokenEvents.length; i++) {
    const gap = (tokenEvents[i]!.t - tokenEvents[i - 1]!.t) / 1000;
    itl.push(gap);
    const carried = tokenEvents[i]!.tokens;
    if (carried === undefined || carried === 0) weightsKnown = false;
    else weighted.push(gap / carried);
  }
  const timing: RequestTiming = { ttft, e2el, outputTokens, itl };
  // TPOT needs the tokens spread over two reads or more: a single event (a non-streamed response, every token
  // arriving with the last), or token events that all came in one socket read and so share one stamp (a buffering
  // proxy, a client too busy to read between them), show no per-token timing, and (E2EL - TTFT) / (N - 1) would
  // read a fake 0 (an infinite interactivity)
  if (outputTokens >= 2 && tokenEvents.length >= 2 && last.t > first.t)
    timing.tpot = (e2el - ttft) / (outputTokens - 1);
  if (weightsKnown) timing.itlTokenWeighted = weighted;
  return timing;
}

/**
 * Aggregates the RequestRecords of one point into its metrics, errors and validity (METRICS.md).
 * Warm-up records are ignored. Metrics are absent when nothing completed.
 * @example aggregatePoint(records, { gpus: { total: 8 } }).metrics.tputPerGpu
 */
export function aggregatePoint(
  records: readonly RequestRecord[],
  options: AggregateOptions,
): Aggregation {
  const maxErrorRate = options.maxErrorRate ?? DEFAULT_MAX_ERROR_RATE;
  const measured = records.filter((r) => !r.warmup);
  const byCategory: Partial<Record<ErrorCategory, number>> = {};
  const completed: { record: RequestRecord; timing: RequestTiming }[] = [];
  // every request's inter-token gaps, gathered as it is timed: its own arrays are not kept
  const gaps: Gaps = { itl: new NumberList(), weighted: new NumberList(), weightedComplete: true };
  for (const record of measured) {
    const timing = record.error ? undefined : requestTiming(record);
    const category: ErrorCategory | undefined =
      record.error?.category ?? (timing ? undefined : "empty_output");
    if (category) byCategory[category] = (byCategory[category] ?? 0) + 1;
    else if (timing) {
      for (const g of timing.itl) gaps.itl.push(g);
      if (timing.itlTokenWeighted) for (const g of timing.itlTokenWeighted) gaps.weighted.push(g);
      else if (timing.itl.length > 0) gaps.weightedComplete = false;
      completed.push({ record, timing: { ...timing, itl: [], itlTokenWeighted: undefined } });
    }
  }
  const failed = measured.length - completed.length;
  // requests the client itself stopped (Ctrl-C past the drain timeout) say nothing of the server: the error
  // rate is taken over the others (the point is marked incomplete for the stop)
  const cancelled = byCategory.cancelled ?? 0;
  const judged = measured.length - cancelled;
  const rate = judged === 0 ? 0 : (failed - cancelled) / judged;
  const reasons: string[] = [];
  if (completed.length === 0) reasons.push("no request completed");
  if (rate > maxErrorRate) {
    reasons.push(
      `error rate ${(rate * 100).toFixed(1)}% exceeds ${(maxErrorRate * 100).toFixed(0)}%`,
    );
  }
  const client = options.client;
  if (client?.saturated) {
    // a loop busy nearly all the time saturates the client with both lags in bounds: show its share too
    const busy =
      client.loopUtilization === undefined
        ? ""
        : `, loop utilization ${(client.loopUtilization * 100).toFixed(0)}%`;
    reasons.push(
      `client saturated (event-loop delay p99 ${fmtMs(client.eventLoopDelayP99Ms)}, send lag p99 ${fmtMs(client.sendLagP99Ms)}${busy})`,
    );
  }
  const errors = { total: failed, requests: measured.length, rate, byCategory };
  const validity = { valid: reasons.length === 0, reasons };
  if (completed.length === 0) return { metrics: { completed: 0 }, errors, validity };
  return { metrics: pointMetrics(completed, gaps, options), errors, validity };
}

function fmtMs(ms: number | undefined): string {
  return ms === undefined ? "n/a" : `${ms.toFixed(1)} ms`;
}

/** The inter-token gaps of a point's completed requests, and whether every gap's token count was known. */
interface Gaps {
  itl: NumberList;
  weighted: NumberList;
  weightedComplete: boolean;
}

/** A record's end: its last byte, else its last event (records written before tEnd was kept). */
const endOf = (record: RequestRecord) => record.tEnd ?? record.events.at(-1)!.t;

/**
 * The measured window of a point's records (METRICS.md "Duration": first measured send to last measured
 * completion), in the records' ms: from the first send to the last end of the measured requests that completed.
 * Throughputs divide by it, and measured energy is integrated over exactly it; failed requests (a 600 s timeout)
 * do not stretch it. Undefined when no request completed.
 * @example measuredWindow(records) // { startMs: 1000, endMs: 11400 }
 */
export function measuredWindow(
  records: readonly RequestRecord[],
): { startMs: number; endMs: number } | undefined {
  const completed = records.filter((r) => !r.warmup && !r.error && r.events.some(isTokenEvent));
  if (completed.length === 0) return undefined;
  return { startMs: minOf(completed.map((r) => r.tSend)), endMs: maxOf(completed.map(endOf)) };
}

function pointMetrics(
  completed: readonly { record: RequestRecord; timing: RequestTiming }[],
  gaps: Gaps,
  options: AggregateOptions,
): PointMetrics {
  // measuredWindow's, of the requests aggregatePoint found completed
  const start = minOf(completed.map((c) => c.record.tSend));
  const end = maxOf(completed.map(({ record }) => endOf(record)));
  const durationS = (end - start) / 1000;
  let inputTokens = 0;
  let outputTokens = 0;
  let cached = 0;
  let diff = 0;
  let diffSeen = false;
  const sources: Record<string, number> = {};
  const ttft: number[] = [];
  const tpot: number[] = [];
  const e2el: number[] = [];
  const queue: number[] = [];
  let good = 0;
  const slo = options.slo;
  for (const { record, timing } of completed) {
    inputTokens += record.promptTokens ?? 0;
    outputTokens += timing.outputTokens;
    cached += record.cachedPromptTokens ?? 0;
    const source =
      record.outputTokens !== undefined ? (record.outputTokensSource ?? "usage") : "events";
    sources[source] = (sources[source] ?? 0) + 1;
    if (record.outputTokensUsage !== undefined && record.outputTokensTokenizer !== undefined) {
      diff += record.outputTokensUsage - record.outputTokensTokenizer;
      diffSeen = true;
    }
    ttft.push(timing.ttft);
    e2el.push(timing.e2el);
    if (timing.tpot !== undefined) tpot.push(timing.tpot);
    queue.push((record.tSend - record.tSched) / 1000);
    if (slo && meetsSlo(timing, slo)) good++;
  }
  const total = options.gpus.total;
  const prefill = options.gpus.prefill ?? total;
  const decode = options.gpus.decode ?? total;
  const safeDiv = (a: number, b: number) => (b > 0 ? a / b : 0);
  const tpotStats = summarize(tpot);
  const metrics: PointMetrics = {
    completed: completed.length,
    durationS,
    inputTokens,
    outputTokens,
    requestThroughput: safeDiv(completed.length, durationS),
    inputThroughput: safeDiv(inputTokens, durationS),
    outputThroughput: safeDiv(outputTokens, durationS),
    totalThroughput: safeDiv(inputTokens + outputTokens, durationS),
    tputPerGpu: safeDiv(safeDiv(inputTokens + outputTokens, durationS), total),
    inputTputPerGpu: safeDiv(safeDiv(inputTokens, durationS), prefill),
    outputTputPerGpu: safeDiv(safeDiv(outputTokens, durationS), decode),
    ttft: summarize(ttft),
    e2el: summarize(e2el),
    queueDelay: summarize(queue),
    outputTokensSource: sources,
  };
  if (tpotStats) {
    metrics.tpot = tpotStats;
    // InferenceX's figures, which imported rows carry and the frontier compares with: each is 1 / the TPOT figure,
    // so the median is exactly 1 / median TPOT and the mean the harmonic mean of 1 / TPOT_i; the std is no spread
    metrics.intvty = mapStats(tpotStats, (x) => 1 / x);
    metrics.perRequestIntvty = perRequestInteractivity(tpot);
  }
  // the gaps are this call's own: sorted where they are
  const itlStats = summarizeInPlace(gaps.itl.view());
  if (itlStats) metrics.itl = itlStats;
  const weightedStats = gaps.weightedComplete ? summarizeInPlace(gaps.weighted.view()) : undefined;
  if (weightedStats) metrics.itlTokenWeighted = weightedStats;
  if (cached > 0) metrics.cachedPromptTokens = cached;
  if (diffSeen) metrics.usageTokenizerDiff = diff;
  if (slo) {
    metrics.goodput = {
      requestsPerS: safeDiv(good, durationS),
      fraction: good / completed.length,
      slo: { ...slo },
    };
  }
  return metrics;
}

/**
 * The statistics of the per-request interactivities 1 / TPOT_i (METRICS.md, "named apart" from `intvty`): their
 * arithmetic mean, median and population std, and as `intvty`'s, each tail percentile pN is the slow tail, the
 * interactivity N% of the requests reach or beat: the (100 - N)th percentile of 1 / TPOT_i.
 */
function perRequestInteractivity(tpot: readonly number[]): Stats | undefined {
  const values = Float64Array.from(
    tpot.filter((x) => x > 0),
    (x) => 1 / x,
  );
  // sorts `values` ascending, where the low percentiles are read
  const stats = summarizeInPlace(values);
  if (!stats) return undefined;
  const ascending = values as unknown as number[];
  return {
    ...stats,
    p90: percentileSorted(ascending, 10),
    p99: percentileSorted(ascending, 1),
    p999: percentileSorted(ascending, 0.1),
  };
}

function meetsSlo(t: RequestTiming, slo: Slo): boolean {
  if (slo.ttftS !== undefined && t.ttft > slo.ttftS) return false;
  if (slo.e2elS !== undefined && t.e2el > slo.e2elS) return false;
  if (slo.tpotS !== undefined && t.tpot !== undefined && t.tpot > slo.tpotS) return false;
  return true;
}

export type { Stats };
