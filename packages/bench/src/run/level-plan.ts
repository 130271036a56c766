import type { LevelPlan } from "../load/run-level.js";
import { DEFAULT_BENCH, type ResolvedBenchOptions } from "./bench-options.js";

/**
 * The plan of one level: request count (default 10 x concurrency, as InferenceX) or duration, and
 * warm-up (default 2 x concurrency). In rate mode the cap, or the rate, stands in for concurrency, and a level holds
 * at least `DEFAULT_BENCH.rateArrivalS` seconds of arrivals (`rateLevelRequests`).
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
          ? rateLevelRequests(level, width)
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
 * The default request count of a rate level: 10 x its width (the cap, or the rate rounded up), and at least
 * `DEFAULT_BENCH.rateArrivalS` seconds of arrivals at its rate. An open loop's window opens with a ramp-up (the first
 * requests meet an empty server) and closes with a drain (the last ones finish alone), each about one E2EL long
 * (seconds to tens of seconds at ISL 1k-8k), so 10 x the rate (10 s of arrivals) is mostly ramp and drain; 60 s keeps
 * them to a small share at common E2ELs, as vLLM's 1000 prompts do at its usual rates (at 4 req/s: 250 s).
 * @example rateLevelRequests(4, 4) // 240
 */
export function rateLevelRequests(rate: number, width: number): number {
  return Math.max(
    DEFAULT_BENCH.requestsPerConcurrency * width,
    Math.ceil(rate * DEFAULT_BENCH.rateArrivalS),
  );
}

/** File-name label of a level: `c8`, `r2.5`, `trace` (a trace's one level, whatever its speedup). */
export function levelLabel(mode: "concurrency" | "rate" | "trace", level: number): string {
  if (mode === "trace") return "trace";
  return mode === "concurrency" ? `c${level}` : `r${level}`;
}
