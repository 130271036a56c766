import type { ConcurrencySpec } from "../schemas/sweep-spec.js";
import { PlanError } from "./plan-error.js";
import { DEFAULT_MAX_PLAN_POINTS } from "./plan-limits.js";

/** The tolerance that keeps 4 * 1.5^k from dropping a level to floating-point error. */
const RANGE_TOLERANCE = 1e-9;

/**
 * Expands a concurrency spec into sorted, distinct levels: a list as given, or a geometric range
 * `from, from*factor, ...` up to `to` (each rounded to an integer). A range of more than `maxLevels` steps is
 * refused with a PlanError before it is expanded (a factor a hair above 1 would otherwise run out of memory).
 * @example concurrencyLevels({ from: 4, to: 64, factor: 2 }) // [4, 8, 16, 32, 64]
 */
export function concurrencyLevels(
  spec: ConcurrencySpec,
  maxLevels: number = DEFAULT_MAX_PLAN_POINTS,
): number[] {
  if (Array.isArray(spec)) return [...new Set(spec)].sort((a, b) => a - b);
  const { from, to } = spec;
  const factor = spec.factor ?? 2;
  const steps =
    from > to
      ? 0
      : Math.floor(Math.log((to * (1 + RANGE_TOLERANCE)) / from) / Math.log(factor)) + 1;
  if (steps > maxLevels)
    throw new PlanError(
      `search.concurrency: from ${from} to ${to} by factor ${factor} is ${steps} levels, more than the ${maxLevels} points a sweep may hold; raise factor or narrow from/to`,
    );
  const levels = new Set<number>();
  for (let x = from; x <= to * (1 + RANGE_TOLERANCE); x *= factor) levels.add(Math.round(x));
  return [...levels].sort((a, b) => a - b);
}
