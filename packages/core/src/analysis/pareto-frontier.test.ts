import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Direction } from "./analysis-metric.js";
import { dominates, type Placed, paretoFrontier } from "./pareto-frontier.js";

const coord = fc.integer({ min: -50, max: 50 }).map((v) => v / 2); // small grid: many ties
const cloud = fc
  .array(fc.tuple(coord, coord), { maxLength: 60 })
  .map((pts) => pts.map(([x, y], i): Placed<number> => ({ x, y, item: i })));
const direction = fc.constantFrom<Direction>("higher", "lower");

describe("paretoFrontier", () => {
  it("keeps exactly the undominated points (hand example)", () => {
    const pts: Placed<string>[] = [
      { x: 10, y: 100, item: "a" },
      { x: 20, y: 80, item: "b" },
      { x: 15, y: 70, item: "c" }, // beaten by b (higher x and y)
      { x: 30, y: 80, item: "d" }, // beats b
      { x: 40, y: 10, item: "e" },
      { x: 40, y: 10, item: "e2" }, // duplicate of e: kept once
    ];
    const f = paretoFrontier(pts, { x: "higher", y: "higher" });
    expect(f.map((p) => p.item)).toEqual(["a", "d", "e"]);
    // cost-like y (lower is better): the cheapest at each x
    const g = paretoFrontier(pts, { x: "higher", y: "lower" });
    expect(g.map((p) => p.item)).toEqual(["e"]);
  });

  it("no frontier point is dominated; every other point is dominated by (or equal to) a frontier point", () => {
    fc.assert(
      fc.property(cloud, direction, direction, (pts, dx, dy) => {
        const dirs = { x: dx, y: dy };
        const front = paretoFrontier(pts, dirs);
        const onFront = new Set(front.map((p) => p.item));
        for (const f of front) expect(pts.some((q) => dominates(q, f, dirs))).toBe(false);
        for (const p of pts) {
          if (onFront.has(p.item)) continue;
          const covered = front.some((f) => dominates(f, p, dirs) || (f.x === p.x && f.y === p.y));
          expect(covered).toBe(true);
        }
        // sorted by strictly increasing x
        for (let i = 1; i < front.length; i++) expect(front[i]!.x).toBeGreaterThan(front[i - 1]!.x);
      }),
      { numRuns: 300 },
    );
  });
});
