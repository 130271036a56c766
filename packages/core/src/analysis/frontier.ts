import type { PointResult } from "../schemas/point-result.js";
import { AnalysisError } from "./analysis-error.js";
import { type AnalysisMetric, type MetricContext, resolveMetric } from "./analysis-metric.js";
import {
  DEFAULT_GROUP_DIMENSIONS,
  type GroupDimension,
  groupPoints,
  type PointGroup,
} from "./grouping.js";
import { type Placed, paretoIndices } from "./pareto-frontier.js";
import { createSteffenInterpolant, type Interpolated } from "./steffen.js";

/** The axes and context of a frontier analysis. */
export interface FrontierOptions {
  /** @default "intvty" (median interactivity, tok/s/user) */
  x?: string | AnalysisMetric;
  /** @default "tputPerGpu" */
  y?: string | AnalysisMetric;
  /** @default DEFAULT_GROUP_DIMENSIONS */
  groupBy?: readonly GroupDimension[];
  context?: MetricContext;
}

/** Frontier options with defaults filled and metrics resolved. */
export interface ResolvedFrontierOptions {
  x: AnalysisMetric;
  y: AnalysisMetric;
  groupBy: readonly GroupDimension[];
  context: MetricContext;
}

/** Fills the defaults of FrontierOptions; an unknown metric, or a margin metric without prices, throws. */
export function resolveFrontierOptions(options: FrontierOptions = {}): ResolvedFrontierOptions {
  const y = resolveMetric(options.y ?? "tputPerGpu");
  const context = options.context ?? {};
  if (y.needsProviderPrices && !context.providerPrices)
    throw new AnalysisError(`metric ${y.id} needs the provider's prices per million tokens`);
  return {
    x: resolveMetric(options.x ?? "intvty"),
    y,
    groupBy: options.groupBy ?? DEFAULT_GROUP_DIMENSIONS,
    context,
  };
}

/** A frontier: its axes, its points sorted by x, and how many points lacked a value on an axis. */
export interface Frontier {
  x: AnalysisMetric;
  y: AnalysisMetric;
  points: Placed<PointResult>[];
  /** points considered (with both values) */
  considered: number;
  /** points left out because they lack x or y */
  skipped: number;
  /** the value on the frontier at an x, or why there is none; built once per frontier */
  at(x: number): Interpolated;
}

/** The frontier of one set of points (pooled, no grouping) on two metrics. */
export function frontierOf(
  points: readonly PointResult[],
  options: FrontierOptions = {},
): Frontier {
  const resolved = resolveFrontierOptions(options);
  const { xs, ys } = readValues(points, resolved);
  return frontierFromValues(points, xs, ys, resolved);
}

/** Each point's x and y values (NaN where a point lacks one), read in one pass in the points' order. */
function readValues(
  points: readonly PointResult[],
  { x, y, context }: ResolvedFrontierOptions,
): { xs: Float64Array; ys: Float64Array } {
  const n = points.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    const xv = x.value(p, context);
    const yv = y.value(p, context);
    const ok = xv !== undefined && yv !== undefined && Number.isFinite(xv) && Number.isFinite(yv);
    xs[i] = ok ? xv : Number.NaN; // NaN is left out by paretoIndices
    ys[i] = ok ? yv : Number.NaN;
  }
  return { xs, ys };
}

/** The frontier of points whose values are already read (`xs[i]`, `ys[i]` belong to `points[i]`). */
function frontierFromValues(
  points: readonly PointResult[],
  xs: Float64Array,
  ys: Float64Array,
  { x, y }: ResolvedFrontierOptions,
): Frontier {
  let skipped = 0;
  for (let i = 0; i < xs.length; i++) if (Number.isNaN(xs[i]!)) skipped++;
  const front: Placed<PointResult>[] = paretoIndices(xs, ys, {
    x: x.direction,
    y: y.direction,
  }).map((i) => ({ x: xs[i]!, y: ys[i]!, item: points[i]! }));
  let interpolant: ((v: number) => Interpolated) | undefined;
  const at = (target: number): Interpolated => {
    if (front.length === 0)
      return {
        ok: false,
        reason:
          points.length === 0
            ? "no points selected"
            : `none of ${points.length} point(s) has both ${x.label} and ${y.label}`,
      };
    // a metric computed from the throughput (cost) is interpolated as a quantity proportional to it, so that at a
    // target it is what that throughput there gives (AnalysisMetric.throughputScale)
    const scale = y.throughputScale;
    interpolant ??= createSteffenInterpolant(
      front.map((p) => p.x),
      front.map((p) => (scale ? scale.toThroughput(p.y) : p.y)),
    );
    const r = interpolant(target);
    if (r.ok) {
      if (!scale) return r;
      // at a knot, the point's own value (1 / (1 / y) may differ from y in the last bit)
      const knot = front.find((p) => p.x === target);
      return { ok: true, value: knot ? knot.y : scale.fromThroughput(r.value) };
    }
    if (!Number.isFinite(target)) return r;
    const lo = front[0]!.x;
    const hi = front[front.length - 1]!.x;
    return {
      ok: false,
      reason: `${x.label} ${fmt(target)} is outside the frontier's range ${fmt(lo)}-${fmt(hi)} ${x.unit}; never extrapolated`,
    };
  };
  return { x, y, points: front, considered: points.length - skipped, skipped, at };
}

const fmt = (v: number) =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(3);

/** A group with its frontier. */
export interface GroupFrontier extends PointGroup {
  frontier: Frontier;
}

/**
 * The frontier of each group of points (METRICS.md groups by default; finer or coarser with `groupBy`).
 * @example frontiers(points, { y: "costPerMillionTotal", context: { pricing: { tier: "neocloud" } } })
 */
export function frontiers(
  points: readonly PointResult[],
  options: FrontierOptions = {},
): GroupFrontier[] {
  const resolved = resolveFrontierOptions(options);
  // Read every value once, in the points' own order (the order they sit in memory: a group's points are spread
  // over the whole set, and reading them group by group costs a cache miss each), then group point indices.
  const all = readValues(points, resolved);
  const indices = Array.from(points, (_, i) => i);
  return groupPoints(indices, resolved.groupBy, (i) => points[i]!).map((group) => {
    const n = group.items.length;
    const items: PointResult[] = new Array(n);
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = group.items[k]!;
      items[k] = points[i]!;
      xs[k] = all.xs[i]!;
      ys[k] = all.ys[i]!;
    }
    return { ...group, items, frontier: frontierFromValues(items, xs, ys, resolved) };
  });
}

/** The value on a frontier at each target, or the reason there is none. */
export function valuesAt(frontier: Frontier, targets: readonly number[]): Interpolated[] {
  return targets.map((t) => frontier.at(t));
}
