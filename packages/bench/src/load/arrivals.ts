import type { Rng } from "../rng.js";

/** How open-loop arrivals are spaced. */
export type ArrivalKind = "poisson" | "gamma" | "constant";

/**
 * A generator of inter-arrival gaps (ms) with mean `1000 / rate`: exponential (Poisson process),
 * gamma with shape `burstiness` (below 1 is burstier than Poisson, above 1 smoother; 1 is Poisson,
 * as vLLM's `--burstiness`), or constant.
 * @example const gap = interArrivals(10, "poisson", 1, createRng(1)); gap() // ~100 ms on average
 */
export function interArrivals(
  rate: number,
  kind: ArrivalKind,
  burstiness: number,
  rng: Rng,
): () => number {
  const meanMs = 1000 / rate;
  if (kind === "constant") return () => meanMs;
  if (kind === "poisson" || burstiness === 1) return () => rng.exponential(meanMs);
  return () => rng.gamma(burstiness, meanMs / burstiness);
}
