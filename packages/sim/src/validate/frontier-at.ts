/** One point of a predicted curve. */
export interface CurvePoint {
  intvty: number;
  tputPerGpu: number;
}

/**
 * Throughput per GPU on a predicted curve at interactivity `x`, interpolated linearly in log-log
 * space between the two points that bracket it. Outside the curve the nearest end is returned and
 * `clamped` says so.
 */
export function throughputAtInteractivity(
  curve: readonly CurvePoint[],
  x: number,
): { tputPerGpu: number; clamped: boolean } {
  const pts = [...curve].sort((a, b) => b.intvty - a.intvty);
  const first = pts[0];
  const last = pts.at(-1);
  if (!first || !last) return { tputPerGpu: Number.NaN, clamped: true };
  // the frontier: throughput only counts while it rises as interactivity falls
  if (x >= first.intvty) return { tputPerGpu: first.tputPerGpu, clamped: x > first.intvty };
  let best = first.tputPerGpu;
  for (let i = 1; i < pts.length; i++) {
    const hi = pts[i - 1]!;
    const lo = pts[i]!;
    if (x >= lo.intvty) {
      const f = Math.log(hi.intvty / x) / Math.log(hi.intvty / lo.intvty || 1);
      const y = Math.exp(Math.log(hi.tputPerGpu) + f * Math.log(lo.tputPerGpu / hi.tputPerGpu));
      return { tputPerGpu: Math.max(best, Number.isFinite(y) ? y : lo.tputPerGpu), clamped: false };
    }
    best = Math.max(best, lo.tputPerGpu);
  }
  return { tputPerGpu: best, clamped: true };
}
