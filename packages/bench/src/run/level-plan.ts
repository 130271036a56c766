import type { LevelPlan } from "../load/run-level.js";
import { DEFAULT_BENCH, type ResolvedBenchOptions } from "./bench-options.js";

/**
 * The plan of one level: request count (default 10 x concurrency, as InferenceX) or duration, and
 * warm-up (default 2 x concurrency). In rate mode the cap, or the rate, stands in for concurrency, and a level
 * without a cap holds at least `DEFAULT_BENCH.rateArrivalS` seconds of arrivals (`rateLevelRequests`). Requests are
 * counted in turns: a multi-turn level's are its sessions' turns.
 * @example levelPlan(resolved, 8) // { mode: "concurrency", concurrency: 8, requests: 80, warmup: 16 }
 */
export function levelPlan(o: ResolvedBenchOptions, level: number): LevelPlan {
  if (o.mode === "trace") throw new Error("a trace's one level is planned by tracePlan");
  const width =
    o.mode === "concurrency" ? level : (o.maxConcurrency ?? Math.max(1, Math.ceil(level)));
  const requests =
    o.durationS !== undefined
      ? undefined
      : (o.numRequests ??
        (o.mode === "rate"
          ? rateLevelRequests(level, o.maxConcurrency, o.workload === "multi-turn" ? o.turns : 1)
          : DEFAULT_BENCH.requestsPerConcurrency * width));
  const plan: LevelPlan = {
    mode: o.mode as "concurrency" | "rate",
    warmup: o.warmup ?? DEFAULT_BENCH.warmupPerConcurrency * width,
  };
  if (requests !== undefined) plan.requests = requests;
  if (o.durationS !== undefined) plan.durationS = o.durationS;
  if (o.mode === "concurrency") plan.concurrency = level;
  else {
    plan.rate = level;
    plan.arrival = o.arrival;
    plan.burstiness = o.burstiness;
    if (o.maxConcurrency !== undefined) plan.concurrency = o.maxConcurrency;
  }
  return plan;
}

/**
 * The default request count (turns) of a rate level. Under a `maxConcurrency` cap, 10 x the cap, as a closed loop at
 * that concurrency: the cap, not the rate, bounds what is sent when it binds (at most cap / E2EL requests/s, so
 * 60 s of a high rate could take hours), and when it does not bind its width still sizes the level. Without a cap,
 * 10 x the rate rounded up, and at least `DEFAULT_BENCH.rateArrivalS` seconds of arrivals at its rate: an open loop's
 * window opens with a ramp-up (the first requests meet an empty server) and closes with a drain (the last ones finish
 * alone), each about one E2EL long (seconds to tens of seconds at ISL 1k-8k), so 10 x the rate (10 s of arrivals) is
 * mostly ramp and drain; 60 s keeps them to a small share at common E2ELs, as vLLM's 1000 prompts do at its usual
 * rates (at 4 req/s: 250 s). The rate of a multi-turn level is of sessions, each `turnsPerSession` turns (the most per
 * conversation of a dataset: its sessions then arrive over at least that long); undefined (a dataset's every turn)
 * counts one.
 * @example rateLevelRequests(4, undefined) // 240
 * @example rateLevelRequests(100, 8) // 80
 * @example rateLevelRequests(0.25, undefined, 4) // 60: 15 sessions of 4 turns
 */
export function rateLevelRequests(
  rate: number,
  maxConcurrency: number | undefined,
  turnsPerSession: number | undefined = 1,
): number {
  const perConcurrency = DEFAULT_BENCH.requestsPerConcurrency;
  if (maxConcurrency !== undefined) return perConcurrency * maxConcurrency;
  return Math.max(
    perConcurrency * Math.max(1, Math.ceil(rate)),
    Math.ceil(rate * DEFAULT_BENCH.rateArrivalS) * (turnsPerSession ?? 1),
  );
}

/** File-name label of a level: `c8`, `r2.5`, `trace` (a trace's one level, whatever its speedup). */
export function levelLabel(mode: "concurrency" | "rate" | "trace", level: number): string {
  if (mode === "trace") return "trace";
  return mode === "concurrency" ? `c${level}` : `r${level}`;
}
