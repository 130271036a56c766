import type { ConcurrencySpec } from "../schemas/sweep-spec.js";

/**
 * Expands a concurrency spec into sorted, distinct levels: a list as given, or a geometric range
 * `from, from*factor, ...` up to `to` (each rounded to an integer).
 * @example concurrencyLevels({ from: 4, to: 64, factor: 2 }) // [4, 8, 16, 32, 64]
 */
export function concurrencyLevels(spec: ConcurrencySpec): number[] {
  const levels: number[] = [];
  if (Array.isArray(spec)) {
    levels.push(...spec);
  } else {
    const factor = spec.factor ?? 2;
    // The tolerance keeps 4 * 1.5^k from dropping a level to floating-point error.
    for (let x = spec.from; x <= spec.to * (1 + 1e-9); x *= factor) levels.push(Math.round(x));
  }
  return [...new Set(levels)].sort((a, b) => a - b);
}
