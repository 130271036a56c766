import type { PointResult } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { knotsAt } from "./frontier.js";

// knots named by their x: the points a value at a target is read from
const front = (xs: number[]) => ({
  points: xs.map((x) => ({ x, y: 100 - x, item: { x } as unknown as PointResult })),
});
const xsOf = (points: PointResult[]) => points.map((p) => (p as unknown as { x: number }).x);

describe("knotsAt: the frontier points a value at a target is read from", () => {
  it("a knot's own value: that knot alone", () => {
    expect(xsOf(knotsAt(front([10, 20, 30, 40, 50]), 30))).toEqual([30]);
  });

  it("between two knots: those two and their neighbours, whose values set Steffen's slopes there", () => {
    expect(xsOf(knotsAt(front([10, 20, 30, 40, 50]), 35))).toEqual([20, 30, 40, 50]);
    expect(xsOf(knotsAt(front([10, 20, 30, 40, 50]), 12))).toEqual([10, 20, 30]);
    expect(xsOf(knotsAt(front([10, 20, 30, 40, 50]), 48))).toEqual([30, 40, 50]);
    expect(xsOf(knotsAt(front([10, 20]), 15))).toEqual([10, 20]);
  });

  it("outside the frontier's range (no value): none", () => {
    expect(knotsAt(front([10, 20, 30]), 5)).toEqual([]);
    expect(knotsAt(front([10, 20, 30]), 31)).toEqual([]);
    expect(knotsAt(front([]), 10)).toEqual([]);
  });
});
