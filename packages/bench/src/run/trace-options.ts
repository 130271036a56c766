import { BenchOptionError } from "../errors.js";
import type { LevelPlan } from "../load/run-level.js";
import type { TraceWorkload } from "../workload/trace-workload.js";
import type { BenchOptions, ResolvedBenchOptions } from "./bench-options.js";

/**
 * The trace workload's own checks: its flags only with it; its timestamps set the schedule, so neither
 * `--concurrency` nor `--rate` applies (`--max-concurrency` caps it), and the records say the lengths.
 */
export function checkTraceOptions(o: BenchOptions, workload: string): void {
  if (workload !== "trace") {
    for (const [flag, value] of [
      ["--trace-block-size", o.traceBlockSize],
      ["--trace-speedup", o.traceSpeedup],
    ] as const) {
      if (value !== undefined)
        throw new BenchOptionError(`${flag} applies to --workload trace only, not ${workload}`);
    }
    return;
  }
  if (!o.dataset) throw new BenchOptionError("--dataset is required by the trace workload");
  if ((o.concurrency?.length ?? 0) > 0 || (o.rate?.length ?? 0) > 0)
    throw new BenchOptionError(
      "--concurrency / --rate: a trace is sent at its timestamps; leave them out (--max-concurrency caps requests in flight, --trace-speedup replays faster)",
    );
  for (const [flag, value] of [
    ["--isl", o.isl],
    ["--osl", o.osl],
    ["--prefix-length", o.prefixLength],
    ["--duration", o.durationS],
  ] as const) {
    if (value !== undefined)
      throw new BenchOptionError(
        `${flag} does not apply to --workload trace (its records give the lengths and the count; --num-requests takes the first N)`,
      );
  }
  const block = o.traceBlockSize;
  if (block !== undefined && !(Number.isSafeInteger(block) && block > 0))
    throw new BenchOptionError(`--trace-block-size expects a positive integer, got ${block}`);
  const speedup = o.traceSpeedup;
  if (speedup !== undefined && !(Number.isFinite(speedup) && speedup > 0))
    throw new BenchOptionError(`--trace-speedup expects a positive number, got ${speedup}`);
}

/**
 * The one level of a trace replay: the first `warmup` records (default 0) warm up, the next `numRequests`
 * (default: the rest) are measured, each sent at its timestamp over the speedup; `rate` is the measured records'
 * mean arrival rate at that speedup (requests/s, none when they share one timestamp). Refuses more records than
 * the trace holds, before anything is sent.
 */
export function tracePlan(o: ResolvedBenchOptions, workload: TraceWorkload): LevelPlan {
  const warmup = o.warmup ?? 0;
  const requests = o.numRequests ?? workload.records - warmup;
  if (requests <= 0 || warmup + requests > workload.records)
    throw new BenchOptionError(
      `--workload trace: ${warmup} warm-up + ${o.numRequests ?? "the remaining"} measured records need more than the ${workload.records} records of ${o.dataset}; lower --warmup or --num-requests`,
    );
  const schedule = workload.schedule(warmup + requests);
  const spanS = (schedule.at(-1)! - schedule[warmup]!) / 1000;
  const plan: LevelPlan = { mode: "trace", warmup, requests, schedule };
  if (requests > 1 && spanS > 0) plan.rate = round((requests - 1) / spanS);
  if (o.maxConcurrency !== undefined) plan.concurrency = o.maxConcurrency;
  return plan;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
