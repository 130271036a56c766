/** One point of a predicted curve. */
export interface CurvePoint {
  intvty: number;
  tputPerGpu: number;
}

/**
 * The Pareto frontier of a curve: points sorted by falling interactivity, each with more throughput
 * than every faster point (of points with equal interactivity only the one with most throughput).
 */
export function paretoFrontier(curve: readonly CurvePoint[]): CurvePoint[] {
  const pts = curve
    .filter((p) => Number.isFinite(p.intvty) && Number.isFinite(p.tputPerGpu) && p.intvty > 0)
    .sort((a, b) => b.intvty - a.intvty || b.tputPerGpu - a.tputPerGpu);
  const out: CurvePoint[] = [];
  for (const p of pts) {
    const last = out.at(-1);
    if (!last || p.tputPerGpu > last.tputPerGpu) out.push(p);
  }
  return out;
}

/**
 * Throughput per GPU on the frontier of a predicted curve at interactivity `x`: the most throughput
 * reachable at `x` or faster, interpolated linearly in log-log space between the two frontier points
 * that bracket `x`. Outside the curve the nearest end is returned and `clamped` says so (faster than
 * the fastest point: its throughput, with as many requests as still run at that speed; slower than
 * the slowest: the saturated throughput).
 */
export function throughputAtInteractivity(
  curve: readonly CurvePoint[],
  x: number,
): { tputPerGpu: number; clamped: boolean; side?: "faster" | "slower" } {
  const pts = paretoFrontier(curve);
  const first = pts[0];
  const last = pts.at(-1);
  if (!first || !last) return { tputPerGpu: Number.NaN, clamped: true };
  if (x > first.intvty) return { tputPerGpu: first.tputPerGpu, clamped: true, side: "faster" };
  if (x === first.intvty) return { tputPerGpu: first.tputPerGpu, clamped: false };
  for (let i = 1; i < pts.length; i++) {
    const hi = pts[i - 1]!;
    const lo = pts[i]!;
    if (x >= lo.intvty) {
      const f = Math.log(hi.intvty / x) / Math.log(hi.intvty / lo.intvty);
      const y = Math.exp(Math.log(hi.tputPerGpu) + f * Math.log(lo.tputPerGpu / hi.tputPerGpu));
      return { tputPerGpu: y, clamped: false };
    }
  }
  return { tputPerGpu: last.tputPerGpu, clamped: true, side: "slower" };
}
