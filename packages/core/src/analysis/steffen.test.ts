import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AnalysisError } from "./analysis-error.js";
import { createSteffenInterpolant, steffenInterpolate, steffenSlopes } from "./steffen.js";

/** Strictly increasing knots with arbitrary y (not necessarily monotone). */
const knots = fc
  .array(
    fc.tuple(
      fc.double({ min: 0.01, max: 50, noNaN: true }),
      fc.double({ min: -1000, max: 1000, noNaN: true }),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((steps) => {
    let x = 0;
    return steps.map(([dx, y]) => {
      x += dx;
      return [x, y] as const;
    });
  });

describe("Steffen interpolation", () => {
  it("hand example: slopes from the 1990 formulas and a value between knots", () => {
    // xs 0,1,2 ys 0,1,4: s = [1, 3], h = [1, 1]
    // interior: p = (1*1 + 3*1)/2 = 2; y' = (1+1)*min(1, 3, 1) = 2
    // start: p1 = 1*(1 + 1/2) - 3*1/2 = 0 -> p1*s1 <= 0 -> 0
    // end:   pn = 3*(1 + 1/2) - 1*1/2 = 4 -> |4| <= 2*3 -> 4
    expect(steffenSlopes([0, 1, 2], [0, 1, 4])).toEqual([0, 2, 4]);
    // on [0,1]: a = (0 + 2 - 2*1)/1 = 0, b = (3*1 - 0 - 2)/1 = 1, c = 0: f(0.5) = 0.25
    expect(steffenInterpolate([0, 1, 2], [0, 1, 4], 0.5)).toEqual({ ok: true, value: 0.25 });
    // on [1,2]: s=3, d1=2, d2=4: a = (2+4-6)/1 = 0, b = (9-4-4)/1 = 1, c = 2: f(1.5) = 1 + 2*0.5 + 0.25 = 2.25
    expect(steffenInterpolate([0, 1, 2], [0, 1, 4], 1.5)).toEqual({ ok: true, value: 2.25 });
    // two knots: the straight line
    expect(steffenInterpolate([10, 20], [100, 50], 12)).toEqual({ ok: true, value: 90 });
  });

  it("refuses bad knots", () => {
    expect(() => steffenSlopes([1, 1], [0, 1])).toThrow(AnalysisError);
    expect(() => steffenSlopes([], [])).toThrow(/at least one/);
    expect(() => steffenSlopes([1, 2], [0])).toThrow(/2 x values but 1 y/);
  });

  it("passes through every knot exactly", () => {
    fc.assert(
      fc.property(knots, (k) => {
        const f = createSteffenInterpolant(
          k.map((p) => p[0]),
          k.map((p) => p[1]),
        );
        for (const [x, y] of k) expect(f(x)).toEqual({ ok: true, value: y });
      }),
    );
  });

  it("is monotone between knots and bounded by its neighbours", () => {
    fc.assert(
      fc.property(
        knots,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 8 }),
        (k, fs) => {
          if (k.length < 2) return;
          const xs = k.map((p) => p[0]);
          const ys = k.map((p) => p[1]);
          const f = createSteffenInterpolant(xs, ys);
          for (let i = 0; i + 1 < k.length; i++) {
            const ts = [...fs].sort((a, b) => a - b).map((t) => xs[i]! + t * (xs[i + 1]! - xs[i]!));
            const vs = ts.map((x) => {
              const r = f(x);
              if (!r.ok) throw new Error(r.reason);
              return r.value;
            });
            const lo = Math.min(ys[i]!, ys[i + 1]!);
            const hi = Math.max(ys[i]!, ys[i + 1]!);
            const eps = 1e-9 * (1 + Math.abs(lo) + Math.abs(hi));
            const dir = Math.sign(ys[i + 1]! - ys[i]!);
            for (let j = 0; j < vs.length; j++) {
              expect(vs[j]!).toBeGreaterThanOrEqual(lo - eps);
              expect(vs[j]!).toBeLessThanOrEqual(hi + eps);
              if (j > 0) expect(dir * (vs[j]! - vs[j - 1]!)).toBeGreaterThanOrEqual(-eps);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses targets outside the knots' range, with a reason", () => {
    fc.assert(
      fc.property(knots, fc.double({ min: 0.001, max: 1e6, noNaN: true }), (k, d) => {
        const xs = k.map((p) => p[0]);
        const f = createSteffenInterpolant(
          xs,
          k.map((p) => p[1]),
        );
        const below = f(xs[0]! - d);
        const above = f(xs[xs.length - 1]! + d);
        expect(below.ok).toBe(false);
        expect(above.ok).toBe(false);
        if (!below.ok) expect(below.reason).toMatch(/outside the range/);
      }),
    );
    expect(steffenInterpolate([1, 2], [3, 4], Number.NaN)).toEqual({
      ok: false,
      reason: "target NaN is not a finite number",
    });
  });
});
