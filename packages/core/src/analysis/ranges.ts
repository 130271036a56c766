import type { PointResult } from "../schemas/point-result.js";
import { type FrontierOptions, frontiers, type GroupFrontier } from "./frontier.js";

/** A group's measured range on the x axis (all its points) and the part its frontier covers (interpolable). */
export interface GroupRange {
  group: GroupFrontier;
  min: number;
  max: number;
  frontierMin: number;
  frontierMax: number;
  /** points with an x value */
  points: number;
}

/**
 * Each group's measured interactivity range (or the range of another x metric): the lowest and highest value of
 * all its points, and the range of its throughput frontier, where values at a target exist. Groups without any
 * x value are left out.
 * @example interactivityRanges(points) // [{ group: { label: "dsr1 1024/1024 mi325x sglang fp8 agg" }, min: 13.2, max: 35.1, ... }]
 */
export function interactivityRanges(
  points: readonly PointResult[],
  options: Omit<FrontierOptions, "y"> = {},
): GroupRange[] {
  const out: GroupRange[] = [];
  const context = options.context ?? {};
  for (const group of frontiers(points, { ...options, y: "tputPerGpu" })) {
    const f = group.frontier;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let n = 0;
    for (const p of group.items) {
      const v = f.x.value(p, context);
      if (v === undefined || !Number.isFinite(v)) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
      n++;
    }
    if (n === 0) continue;
    out.push({
      group,
      min,
      max,
      frontierMin: f.points[0]?.x ?? Number.NaN,
      frontierMax: f.points[f.points.length - 1]?.x ?? Number.NaN,
      points: n,
    });
  }
  return out;
}
