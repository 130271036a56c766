import type { Direction } from "./analysis-metric.js";

/** A point placed on two axes, with what it stands for. */
export interface Placed<T> {
  x: number;
  y: number;
  item: T;
}

/** The better direction of each axis. */
export interface Directions {
  x: Direction;
  y: Direction;
}

/**
 * The Pareto frontier of placed points: those that no other point beats on both axes (better or equal on both,
 * strictly better on one), sorted by x ascending. Points with equal x and y are kept once (the first given).
 * Non-finite coordinates are ignored. O(n log n).
 * @example paretoFrontier([{x:1,y:5,item:"a"},{x:2,y:3,item:"b"},{x:1,y:2,item:"c"}], {x:"higher",y:"higher"})
 * // a and b (c is beaten by a)
 */
export function paretoFrontier<T>(
  points: readonly Placed<T>[],
  directions: Directions,
): Placed<T>[] {
  const xs = new Float64Array(points.length);
  const ys = new Float64Array(points.length);
  points.forEach((p, i) => {
    xs[i] = p.x;
    ys[i] = p.y;
  });
  return paretoIndices(xs, ys, directions).map((i) => points[i]!);
}

/**
 * The indices of the frontier of points given as coordinate arrays (see paretoFrontier), sorted by x ascending.
 * The allocation-light core that frontiers of many points use.
 */
export function paretoIndices(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  directions: Directions,
): number[] {
  const sx = directions.x === "higher" ? 1 : -1;
  const sy = directions.y === "higher" ? 1 : -1;
  // keys scaled so that higher is better on both axes: the comparator then needs no multiplication
  const kx = new Float64Array(xs.length);
  const ky = new Float64Array(xs.length);
  const order: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (Number.isFinite(x) && Number.isFinite(y)) {
      kx[i] = sx * x;
      ky[i] = sy * y;
      order.push(i);
    }
  }
  // best x first; among equal x, best y first; then input order
  order.sort((a, b) => kx[b]! - kx[a]! || ky[b]! - ky[a]! || a - b);
  const frontier: number[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (const i of order) {
    if (ky[i]! > best) {
      frontier.push(i);
      best = ky[i]!;
    }
  }
  // the sweep met x from best to worst: reverse for ascending x
  return sx > 0 ? frontier.reverse() : frontier;
}

/** Whether `a` beats `b`: better or equal on both axes and strictly better on one. */
export function dominates<T>(a: Placed<T>, b: Placed<T>, directions: Directions): boolean {
  const dx = (directions.x === "higher" ? 1 : -1) * (a.x - b.x);
  const dy = (directions.y === "higher" ? 1 : -1) * (a.y - b.y);
  return dx >= 0 && dy >= 0 && (dx > 0 || dy > 0);
}
