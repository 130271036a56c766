import { INTERRUPTED_REASON, type PointOutcome, type SweepCounts } from "./types.js";

/**
 * Counts a sweep's outcomes: measured and kept points, with how many of each are invalid, failures apart from the
 * points a Ctrl-C left, and points queued in Slurm jobs.
 * @example countOutcomes(result.points) // { measured: 2, invalid: 1, alreadyMeasured: 0, ... }
 */
export function countOutcomes(points: readonly PointOutcome[]): SweepCounts {
  const count = (test: (p: PointOutcome) => boolean) => points.filter(test).length;
  const stopped = (p: PointOutcome) => p.status === "failed" && p.reason === INTERRUPTED_REASON;
  return {
    measured: count((p) => p.status === "done"),
    invalid: count((p) => p.status === "done" && p.valid === false),
    alreadyMeasured: count((p) => p.status === "skipped"),
    alreadyMeasuredInvalid: count((p) => p.status === "skipped" && p.valid === false),
    failed: count((p) => p.status === "failed" && !stopped(p)),
    stopped: count(stopped),
    queued: count((p) => p.status === "queued"),
  };
}
