import { AnalysisError } from "./analysis-error.js";

/** The value of an interpolation, or the reason there is none. */
export type Interpolated = { ok: true; value: number } | { ok: false; reason: string };

const sign = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);

function checkKnots(xs: readonly number[], ys: readonly number[]): void {
  if (xs.length !== ys.length)
    throw new AnalysisError(`knots: ${xs.length} x values but ${ys.length} y values`);
  if (xs.length === 0) throw new AnalysisError("knots: at least one point is needed");
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]!) || !Number.isFinite(ys[i]!))
      throw new AnalysisError(`knots: point ${i} is not finite`);
    if (i > 0 && !(xs[i]! > xs[i - 1]!))
      throw new AnalysisError("knots: x values must be strictly increasing");
  }
}

/**
 * The derivatives at the knots of Steffen's monotone cubic (M. Steffen, "A simple method for monotonic
 * interpolation in one dimension", Astron. Astrophys. 239, 443-450, 1990): with `h_i = x_{i+1} - x_i` and
 * `s_i = (y_{i+1} - y_i) / h_i`, interior `y'_i = (sign s_{i-1} + sign s_i) * min(|s_{i-1}|, |s_i|, |p_i| / 2)`
 * where `p_i = (s_{i-1} h_i + s_i h_{i-1}) / (h_{i-1} + h_i)` (eq. 11); at the ends the one-sided parabola
 * `p_1 = s_1 (1 + h_1 / (h_1 + h_2)) - s_2 h_1 / (h_1 + h_2)` limited to 0 when `p_1 s_1 <= 0` and to `2 s_1`
 * when `|p_1| > 2 |s_1|` (eq. 26-27), symmetrically at the last knot. Two knots: the straight line.
 */
export function steffenSlopes(xs: readonly number[], ys: readonly number[]): number[] {
  checkKnots(xs, ys);
  const n = xs.length;
  if (n === 1) return [0];
  const h: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    h.push(xs[i + 1]! - xs[i]!);
    s.push((ys[i + 1]! - ys[i]!) / h[i]!);
  }
  if (n === 2) return [s[0]!, s[0]!];
  const d = new Array<number>(n);
  for (let i = 1; i < n - 1; i++) {
    const p = (s[i - 1]! * h[i]! + s[i]! * h[i - 1]!) / (h[i - 1]! + h[i]!);
    d[i] =
      (sign(s[i - 1]!) + sign(s[i]!)) *
      Math.min(Math.abs(s[i - 1]!), Math.abs(s[i]!), 0.5 * Math.abs(p));
  }
  const end = (s0: number, s1: number, h0: number, h1: number) => {
    const p = s0 * (1 + h0 / (h0 + h1)) - (s1 * h0) / (h0 + h1);
    if (p * s0 <= 0) return 0;
    if (Math.abs(p) > 2 * Math.abs(s0)) return 2 * s0;
    return p;
  };
  d[0] = end(s[0]!, s[1]!, h[0]!, h[1]!);
  d[n - 1] = end(s[n - 2]!, s[n - 3]!, h[n - 2]!, h[n - 3]!);
  return d;
}

/**
 * Builds Steffen's monotone cubic through the knots (x strictly increasing). The interpolant is exact at the knots,
 * monotone between consecutive knots (so bounded by them) and refuses, with a reason, any x outside [x_0, x_n].
 * @example createSteffenInterpolant([1, 2, 3], [10, 20, 40])(2) // { ok: true, value: 20 }
 */
export function createSteffenInterpolant(
  xs: readonly number[],
  ys: readonly number[],
): (x: number) => Interpolated {
  const d = steffenSlopes(xs, ys);
  const n = xs.length;
  const lo = xs[0]!;
  const hi = xs[n - 1]!;
  return (x: number): Interpolated => {
    if (!Number.isFinite(x)) return { ok: false, reason: `target ${x} is not a finite number` };
    if (x < lo || x > hi)
      return { ok: false, reason: `target ${x} is outside the range [${lo}, ${hi}]` };
    // binary search: the last knot i with xs[i] <= x
    let a = 0;
    let b = n - 1;
    while (a < b) {
      const m = (a + b + 1) >> 1;
      if (xs[m]! <= x) a = m;
      else b = m - 1;
    }
    if (xs[a] === x) return { ok: true, value: ys[a]! };
    const h = xs[a + 1]! - xs[a]!;
    const s = (ys[a + 1]! - ys[a]!) / h;
    const t = x - xs[a]!;
    const c3 = (d[a]! + d[a + 1]! - 2 * s) / (h * h);
    const c2 = (3 * s - 2 * d[a]! - d[a + 1]!) / h;
    const raw = ((c3 * t + c2) * t + d[a]!) * t + ys[a]!;
    // guard rounding: the exact cubic lies between its knots
    const min = Math.min(ys[a]!, ys[a + 1]!);
    const max = Math.max(ys[a]!, ys[a + 1]!);
    return { ok: true, value: Math.min(max, Math.max(min, raw)) };
  };
}

/** One-shot Steffen interpolation at `x`; see createSteffenInterpolant. */
export function steffenInterpolate(
  xs: readonly number[],
  ys: readonly number[],
  x: number,
): Interpolated {
  return createSteffenInterpolant(xs, ys)(x);
}
