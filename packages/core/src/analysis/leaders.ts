import type { PointResult } from "../schemas/point-result.js";
import {
  type FrontierOptions,
  frontiers,
  type GroupFrontier,
  resolveFrontierOptions,
} from "./frontier.js";
import { type GroupDimension, groupPoints, WORKLOAD_DIMENSIONS } from "./grouping.js";

/** The best group at one target within one partition, with the runner-up and the groups without a value. */
export interface Leader {
  partition: string;
  target: number;
  leader?: { group: GroupFrontier; value: number };
  runnerUp?: { group: GroupFrontier; value: number };
  /** leader / runner-up (for lower-is-better metrics runner-up / leader: always >= 1) */
  lead?: number;
  /** groups that have no value at this target, with why */
  without: { group: GroupFrontier; reason: string }[];
}

/** Options of leadersAt: the frontier options plus the dimensions within which groups compete. */
export interface LeaderOptions extends FrontierOptions {
  /** @default WORKLOAD_DIMENSIONS: groups compete within a workload */
  within?: readonly GroupDimension[];
}

/**
 * Which group leads at each target, within each partition (by default each workload). With
 * `within: [...WORKLOAD_DIMENSIONS, "hardware"]` and METRICS.md groups this is the best configuration of each GPU.
 * @example leadersAt(points, [35, 75], { y: "tputPerGpu" })
 */
export function leadersAt(
  points: readonly PointResult[],
  targets: readonly number[],
  options: LeaderOptions = {},
): Leader[] {
  const resolved = resolveFrontierOptions(options);
  const sign = resolved.y.direction === "higher" ? 1 : -1;
  const out: Leader[] = [];
  for (const part of groupPoints(points, options.within ?? WORKLOAD_DIMENSIONS)) {
    const groups = frontiers(part.items, resolved);
    for (const target of targets) {
      const ranked: { group: GroupFrontier; value: number }[] = [];
      const without: Leader["without"] = [];
      for (const group of groups) {
        const v = group.frontier.at(target);
        if (v.ok) ranked.push({ group, value: v.value });
        else without.push({ group, reason: v.reason });
      }
      ranked.sort((p, q) => sign * (q.value - p.value));
      const [leader, runnerUp] = ranked;
      const lead =
        leader && runnerUp
          ? sign > 0
            ? leader.value / runnerUp.value
            : runnerUp.value / leader.value
          : undefined;
      out.push({
        partition: part.label,
        target,
        ...(leader ? { leader } : {}),
        ...(runnerUp ? { runnerUp } : {}),
        ...(lead !== undefined ? { lead } : {}),
        without,
      });
    }
  }
  return out;
}

/**
 * The best configuration (METRICS.md group, or `groupBy`) of each GPU at a target, per workload.
 * @example bestPerGpu(points, 35)
 */
export function bestPerGpu(
  points: readonly PointResult[],
  target: number,
  options: FrontierOptions = {},
): Leader[] {
  return leadersAt(points, [target], { ...options, within: [...WORKLOAD_DIMENSIONS, "hardware"] });
}
