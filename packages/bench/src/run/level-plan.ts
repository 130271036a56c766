import type { LevelPlan } from "../load/run-level.js";
import { DEFAULT_BENCH, type ResolvedBenchOptions } from "./bench-options.js";

/**
 * The plan of one level: request count (default 10 x concurrency, as InferenceX) or duration, and
 * warm-up (default 2 x concurrency). In rate mode the cap, or the rate, stands in for concurrency.
 * @example levelPlan(resolved, 8) // { mode: "concurrency", concurrency: 8, requests: 80, warmup: 16 }
 */
export function levelPlan(o: ResolvedBenchOptions, level: number): LevelPlan {
  if (o.mode === "trace") throw new Error("a trace's one level is planned by tracePlan");
  const width =
    o.mode === "concurrency" ? level : (o.maxConcurrency ?? Math.max(1, Math.ceil(level)));
  const requests =
    o.durationS !== undefined
      ? undefined
      : (o.numRequests ?? DEFAULT_BENCH.requestsPerConcurrency * width);
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

/** File-name label of a level: `c8`, `r2.5`, `trace` (a trace's one level, whatever its speedup). */
export function levelLabel(mode: "concurrency" | "rate" | "trace", level: number): string {
  if (mode === "trace") return "trace";
  return mode === "concurrency" ? `c${level}` : `r${level}`;
}
