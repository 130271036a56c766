import type { RunInfo } from "./point-result.js";

/**
 * What ties copies of one run's points together: its CI link, else `run:<runId>` (a point infermark measured outside
 * CI; its export carries the id, so its rows imported back find the stored points). Undefined when a point has
 * neither: such points are never taken for copies of each other (two rows of one day may be two runs).
 * @example runLink({ runId: "8f1c..." }) // "run:8f1c..."
 */
export const runLink = (run: Pick<RunInfo, "ciUrl" | "runId">): string | undefined =>
  run.ciUrl ?? (run.runId ? `run:${run.runId}` : undefined);
