import type { RequestRecord } from "@infermark/core";
import type { LevelPlan } from "../load/run-level.js";

/**
 * The share of the offered rate under which a rate level's server did not keep up. A server that keeps up completes
 * requests as fast as they arrive, give or take the Poisson spread of the arrivals (about 1 / sqrt(N): 6% over 240
 * requests, 30% over 10, hence the floor on requests below); a server past its capacity completes them at its
 * capacity, however fast they come, and the backlog grows for as long as the level lasts.
 */
export const KEPT_UP_SHARE = 0.8;
/** Fewer completed requests say too little of a rate to judge. */
const MIN_COMPLETED = 10;

/**
 * A warning when a rate level's server completed requests well below the offered rate: the rate at which the
 * measured requests completed, first completion to last (the arrivals' ramp-up and the drain after the last send, which
 * lower the point's request throughput at any rate, are outside that span), under `KEPT_UP_SHARE` of the plan's rate.
 * A finding about the server, not a fault of the point: its latencies are those of a queue that grows with the level's
 * length. Under a `maxConcurrency` cap the cap may be what held the sends back (their wait is the queue delay).
 * Times are the engine's, as the plan's rate is. Undefined for a closed loop, a trace, or a server that kept up.
 * @example rateShortfall(plan, records) // "the server completed 0.31 requests/s, 16% of the offered 2/s: ..."
 */
export function rateShortfall(
  plan: LevelPlan,
  records: readonly RequestRecord[],
): string | undefined {
  if (plan.mode !== "rate" || plan.rate === undefined || !Number.isFinite(plan.rate)) return;
  const ends = records
    .filter((r) => !r.warmup && !r.error && r.tEnd !== undefined)
    .map((r) => r.tEnd!)
    .sort((a, b) => a - b);
  if (ends.length < MIN_COMPLETED) return;
  const spanS = (ends.at(-1)! - ends[0]!) / 1000;
  const completedRate = spanS > 0 ? (ends.length - 1) / spanS : Number.POSITIVE_INFINITY;
  if (completedRate >= KEPT_UP_SHARE * plan.rate) return;
  const share = `${Math.round((completedRate / plan.rate) * 100)}% of the offered ${plan.rate}/s`;
  const why =
    plan.concurrency !== undefined
      ? `the server, or the --max-concurrency ${plan.concurrency} cap (see the queue delay), could not keep up`
      : "it could not keep up";
  return `the server completed ${completedRate.toFixed(2)} requests/s, ${share}: ${why}, so requests queued and the latencies grow with the level's length (this rate is past its capacity)`;
}
