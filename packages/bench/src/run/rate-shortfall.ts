import type { RequestRecord } from "@infermark/core";
import type { LevelPlan } from "../load/run-level.js";

/**
 * The share of the offered rate under which a rate level's server did not keep up. A server that completes requests
 * at a share `s` of the rate they arrive at holds a backlog that grows by `1 - s` of the arrivals, so each request
 * waits `1 / s - 1` seconds longer per second of the level than the one before: under 80%, 0.25 s per second.
 */
export const KEPT_UP_SHARE = 0.8;
/** Fewer completed requests say too little of a trend to judge. */
const MIN_COMPLETED = 10;
/** Standard errors by which the slope must clear its bound: a one-sided 3-sigma test (0.13% for a normal slope). */
const SIGMAS = 3;

/**
 * A warning when a rate level's backlog grew: the time from each measured request's schedule to its completion (its
 * queue delay under a cap, its wait at the server and its E2EL), regressed (least squares) on its schedule time over
 * the level's second half (the later half of its completed requests, by schedule), grew faster than a server
 * completing `KEPT_UP_SHARE` of the offered rate makes it grow, by more than `SIGMAS` standard errors of the slope.
 *
 * Why this and not a count of completions: over any window, the requests sent minus those completed is the change in
 * the requests in flight, which is (Little) the rate times the change in latency; a count test therefore also warns
 * of a server whose latency rises once, from an empty server's to a loaded one's, and settles, and of the Poisson
 * spread of a short level's arrivals. A server past its capacity is told by a latency that keeps growing, at a slope
 * that does not shrink with the level's length; the first half is left out as its ramp-up (the latency rise of a
 * filling batch lasts about one loaded E2EL). The standard error ties the bound to the sample: a short level's noisy
 * slope must clear it by more. Times are the engine's, as the plan's rate is. Multi-turn levels are judged on their
 * turns (a turn's schedule is when its think time ended), which the slope compares without the session rate.
 * Undefined for a closed loop, a trace, or a backlog that did not grow.
 * @example rateShortfall(plan, records) // "the time from a request's schedule to its completion grew 1.22 s ..."
 */
export function rateShortfall(
  plan: LevelPlan,
  records: readonly RequestRecord[],
): string | undefined {
  if (plan.mode !== "rate" || plan.rate === undefined || !Number.isFinite(plan.rate)) return;
  const done = records
    .filter((r) => !r.warmup && !r.error && r.tEnd !== undefined)
    .sort((a, b) => a.tSched - b.tSched);
  if (done.length < MIN_COMPLETED) return;
  const late = done.slice(Math.floor(done.length / 2));
  const fit = leastSquaresSlope(
    late.map((r) => r.tSched / 1000),
    late.map((r) => (r.tEnd! - r.tSched) / 1000),
  );
  if (fit === undefined) return;
  const t = studentT(SIGMAS, late.length - 2);
  if (fit.slope - t * fit.standardError <= 1 / KEPT_UP_SHARE - 1) return;
  const why =
    plan.concurrency !== undefined
      ? `the server, or the --max-concurrency ${plan.concurrency} cap (see the queue delay), could not keep up`
      : "it could not keep up";
  const grew = `grew ${fit.slope.toFixed(2)} s per second over the level's second half`;
  const sessions = done.some((r) => r.session !== undefined);
  const after = `${why}, so ${sessions ? "turns" : "requests"} queued and the latencies grow with the level's length (this rate is past its capacity)`;
  if (sessions) {
    return `the time from a turn's schedule to its completion ${grew}, at the offered ${plan.rate} sessions/s: ${after}`;
  }
  const share = Math.round(100 / (1 + fit.slope));
  return `the time from a request's schedule to its completion ${grew}, as when the server completes about ${share}% of the offered ${plan.rate}/s: ${after}`;
}

/** Least-squares slope of `y` on `x` and its standard error; undefined when `x` does not vary. */
function leastSquaresSlope(
  x: readonly number[],
  y: readonly number[],
): { slope: number; standardError: number } | undefined {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  if (!(sxx > 0)) return;
  const slope = sxy / sxx;
  // Newey-West: the latencies of requests close in time are correlated (they met the same queue), which the plain
  // least-squares error understates; Bartlett weights over lags up to n^(1/3)
  const u = x.map((xi, i) => (xi - mx) * (y[i]! - my - slope * (xi - mx)));
  const lags = Math.floor(Math.cbrt(n));
  let v = 0;
  for (let lag = 0; lag <= lags; lag++) {
    let c = 0;
    for (let i = lag; i < n; i++) c += u[i]! * u[i - lag]!;
    v += (lag === 0 ? 1 : 2 * (1 - lag / (lags + 1))) * c;
  }
  return { slope, standardError: Math.sqrt((v * n) / Math.max(1, n - 2)) / sxx };
}

/**
 * The Student t quantile with `df` degrees of freedom at the normal's `z` (Cornish-Fisher, to 1/df^2): a slope
 * estimated from few requests must clear its bound by more standard errors than a normal's.
 * @example studentT(3, 13) // 3.68
 */
function studentT(z: number, df: number): number {
  const d = Math.max(1, df);
  return z + (z ** 3 + z) / (4 * d) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * d * d);
}
