import { performance } from "node:perf_hooks";

/** Converts a wall-clock time (ms since the epoch) to this process's `performance.now()` clock. */
export function epochToMonotonicMs(epochMs: number): number {
  return epochMs - (Date.now() - performance.now());
}
