import type { PointResult } from "../schemas/point-result.js";
import {
  type Frontier,
  type FrontierOptions,
  frontierOf,
  resolveFrontierOptions,
} from "./frontier.js";
import { groupPoints, WORKLOAD_DIMENSIONS } from "./grouping.js";
import type { Interpolated } from "./steffen.js";

/** A and B at one target: both values, and A / B when both exist. */
export interface ComparisonRow {
  target: number;
  a: Interpolated;
  b: Interpolated;
  ratio?: number;
  reason?: string;
}

/** The comparison of A and B on one workload (model, ISL/OSL). */
export interface Comparison {
  workload: string;
  a: Frontier;
  b: Frontier;
  rows: ComparisonRow[];
}

/**
 * The ratio of A to B at each target (METRICS.md: value(A) / value(B), both interpolated). Each side is pooled into
 * one frontier per workload: "A" is the best of everything A selects (all its frameworks, TPs, ...). Workloads that
 * only one side has appear with reasons.
 * @example compareAt(gb200Fp4Mtp, h100, [40, 75, 116])
 */
export function compareAt(
  a: readonly PointResult[],
  b: readonly PointResult[],
  targets: readonly number[],
  options: Omit<FrontierOptions, "groupBy"> = {},
): Comparison[] {
  const resolved = resolveFrontierOptions(options);
  const tagged = [
    ...a.map((p) => ({ side: "a" as const, p })),
    ...b.map((p) => ({ side: "b" as const, p })),
  ];
  return groupPoints(tagged, WORKLOAD_DIMENSIONS, (t) => t.p).map((g) => {
    const fa = frontierOf(
      g.items.filter((t) => t.side === "a").map((t) => t.p),
      resolved,
    );
    const fb = frontierOf(
      g.items.filter((t) => t.side === "b").map((t) => t.p),
      resolved,
    );
    const rows = targets.map((target): ComparisonRow => {
      const va = fa.at(target);
      const vb = fb.at(target);
      if (!va.ok || !vb.ok) {
        const reasons = [!va.ok ? `A: ${va.reason}` : "", !vb.ok ? `B: ${vb.reason}` : ""];
        return { target, a: va, b: vb, reason: reasons.filter(Boolean).join("; ") };
      }
      if (vb.value === 0) return { target, a: va, b: vb, reason: "B is 0" };
      return { target, a: va, b: vb, ratio: va.value / vb.value };
    });
    return { workload: g.label, a: fa, b: fb, rows };
  });
}
