import type { PointResult } from "../schemas/point-result.js";

/**
 * How far a closed-loop point's reported output throughput may stand from Little's law's before it is flagged: a
 * factor, either way. Set from the spread of the ratio over InferenceX's published rows and infermark's own points
 * (docs/metrics.md, "Self-consistency"), not from any prediction: consistent points lie in 0.42-1.10 (the low end:
 * median-only rows with a heavy tail; the high end: a short multi-turn run with think time), 1.7x above 1/4, and the
 * one contradicting row at 0.021, 12x below it.
 */
export const LITTLES_LAW_TOLERANCE = 4;

/** The outcome of `throughputConsistency`: the comparison, or why a point cannot be checked. */
export type ThroughputConsistency =
  | {
      kind: "checked";
      /** Reported output tokens/s of the whole point (all decode GPUs). */
      reported: number;
      /**
       * requests in flight (the concurrency, or fewer measured requests) x mean output tokens per request / (E2EL + a
       * session's think time per request), tokens/s.
       */
      expected: number;
      /**
       * reported / expected: at most 1 in a closed loop (the ramp and drain only lower it); a little over 1 for a short
       * session run, whose window opens on a send and closes on a reply, leaving out a think time per slot.
       */
      ratio: number;
      /** Which E2EL statistic was used: the mean, else the median (rows that carry no mean). */
      e2el: "mean" | "median";
      /** Where the output tokens per request came from: counted by the run, else the nominal OSL's mean. */
      outputTokens: "measured" | "nominal";
      /** True when the ratio is outside [1 / tolerance, tolerance]. */
      flagged: boolean;
      /** One line for a warning: the two throughputs, the ratio and their inputs. */
      detail: string;
    }
  | { kind: "unchecked"; reason: string };

const round = (x: number) => (x >= 100 ? Math.round(x).toString() : x.toPrecision(3));

/**
 * The mean time, s, a closed-loop slot of a session workload holds its session between a reply and the next turn,
 * per request: its think time after every turn but a session's last, which a new session replaces at once
 * (`thinkTimeMs x (turns - 1) / turns`; the whole think time when the turns are not recorded). 0 for other workloads.
 */
function meanThinkSeconds(workload: PointResult["config"]["workload"]): number {
  const ms = workload.thinkTimeMs ?? 0;
  if (ms <= 0) return 0;
  const turns = workload.turns;
  return ((turns ? (turns - 1) / turns : 1) * ms) / 1000;
}

/**
 * Checks a closed-loop point against Little's law (docs/metrics.md, "Self-consistency"): C requests always in flight,
 * each taking E2EL seconds for its N output tokens, produce C x mean(N) / mean(E2EL) output tokens/s. With C fixed,
 * that is an upper bound on the point's output throughput (METRICS.md: output tokens of completed requests over the
 * duration, first measured send to last completion), which the ramp-up and drain of a finite run lower by a few
 * percent; a point whose figure is off by more than `tolerance` either way contradicts its own concurrency, lengths
 * and latency (a wrong throughput, concurrency or GPU count). Speculative decoding (MTP) changes nothing: tokens, not
 * events, are counted on both sides.
 *
 * - Throughput: the point's `outputThroughput`, else `outputTputPerGpu` x decode GPUs (METRICS.md: output tokens/s
 *   over decode GPUs, so a disaggregated point's prefill GPUs do not count).
 * - E2EL: its mean; the median when the point has no mean (InferenceX's history rows), which a heavy tail of queued
 *   requests puts below the mean, so such a ratio can read low.
 * - Output tokens per request: `outputTokens / completed` when the run counted them, else the mean of the nominal
 *   OSL drawn from [rangeRatio x OSL, OSL] (the OSL itself when the ratio is unknown, as for InferenceX rows,
 *   whose mean is 0.9 x OSL: their ratio reads about 10% low).
 * - Requests in flight: the concurrency, or the measured requests (`load.requests`) when the run had fewer.
 * - Think time: a session workload's slot waits `thinkTimeMs` between a reply and the session's next turn, with no
 *   request in flight, so each request's cycle is its E2EL plus that wait (`thinkTimeMs x (turns - 1) / turns`: none
 *   after a session's last turn); without it a multi-turn point with think time reads several times low.
 * - Not checked: an open loop (rate or trace mode), whose requests in flight are not fixed; a point without
 *   concurrency, E2EL or output throughput; a workload other than random without counted output tokens.
 * @example throughputConsistency(point) // { kind: "checked", ratio: 0.93, flagged: false, ... }
 */
export function throughputConsistency(
  point: Pick<PointResult, "config" | "metrics">,
  tolerance: number = LITTLES_LAW_TOLERANCE,
): ThroughputConsistency {
  const { load, workload, topology } = point.config;
  const m = point.metrics;
  if (load.mode !== "concurrency")
    return { kind: "unchecked", reason: `${load.mode} mode: the requests in flight are not fixed` };
  const c = load.concurrency;
  if (!c) return { kind: "unchecked", reason: "no concurrency" };
  const e2elMean = m.e2el?.mean;
  const e2el = e2elMean ?? m.e2el?.median;
  if (!e2el || e2el <= 0) return { kind: "unchecked", reason: "no mean or median E2EL" };
  const perGpu = m.outputThroughput === undefined ? m.outputTputPerGpu : undefined;
  const reported =
    m.outputThroughput ?? (perGpu !== undefined ? perGpu * topology.decodeGpus : undefined);
  if (reported === undefined) return { kind: "unchecked", reason: "no output throughput" };
  const counted = m.outputTokens !== undefined && m.completed ? m.outputTokens / m.completed : 0;
  const nominal =
    workload.kind === "random" ? (workload.osl * (1 + (workload.rangeRatio ?? 1))) / 2 : 0;
  const tokens = counted || nominal;
  if (!tokens) return { kind: "unchecked", reason: "no output length (tokens per request)" };
  const think = meanThinkSeconds(workload);
  // a run of fewer measured requests than its concurrency never has more than those in flight
  const inFlight = load.requests ? Math.min(c, load.requests) : c;
  const expected = (inFlight * tokens) / (e2el + think);
  const ratio = reported / expected;
  const stat = e2elMean ? "mean" : "median";
  const cycle =
    think > 0
      ? `(${stat} E2EL ${round(e2el)} s + think ${round(think)} s)`
      : `${stat} E2EL ${round(e2el)} s`;
  return {
    kind: "checked",
    reported,
    expected,
    ratio,
    e2el: stat,
    outputTokens: counted ? "measured" : "nominal",
    flagged: !(ratio >= 1 / tolerance && ratio <= tolerance),
    detail: `reports ${round(reported)} output tok/s${perGpu !== undefined ? ` (${round(perGpu)} per GPU x ${topology.decodeGpus} decode GPUs)` : ""}, Little's law gives ${round(expected)} (${inFlight < c ? `${inFlight} requests at concurrency ${c}` : `concurrency ${c}`} x ${round(tokens)} ${counted ? "counted" : "nominal"} output tokens / ${cycle}): ${ratio.toFixed(3)}x`,
  };
}
