import { groupPoints, paretoFrontier } from "@infermark/core";
import type { ViewState } from "../state/view-state.js";
import { stateAxes, stateContext } from "./metrics.js";
import type { Item } from "./types.js";

/** One plotted point: its coordinates and its store id. */
export interface PlotPoint {
  x: number;
  y: number;
  id: string;
}

/** One group's series: every point with both values, and its frontier (sorted by x). */
export interface GroupSeries {
  key: string;
  label: string;
  dims: Record<string, string | undefined>;
  points: PlotPoint[];
  frontier: PlotPoint[];
  /** points of the group without a value on one axis */
  skipped: number;
  hidden: boolean;
}

/** What the frontier chart draws. */
export interface FrontierSeries {
  groups: GroupSeries[];
  /** all points considered (with both values) over visible groups */
  plotted: number;
  skipped: number;
}

/**
 * Builds the frontier chart's series with core's grouping and Pareto frontier (METRICS.md groups). Hidden groups
 * (legend toggles) are kept with `hidden: true` so the legend still lists them. With `frontierOnly` the points
 * off the frontier are left out of `points`.
 * @example buildFrontierSeries(items, { ...DEFAULT_STATE, y: "costPerMillionTotal" }).groups[0].frontier
 */
export function buildFrontierSeries(items: readonly Item[], state: ViewState): FrontierSeries {
  const { x, y } = stateAxes(state);
  const context = stateContext(state);
  const hidden = new Set(state.hidden);
  let plotted = 0;
  let skipped = 0;
  const groups = groupPoints(items, undefined, (i) => i.point).map((g): GroupSeries => {
    const points: PlotPoint[] = [];
    let missing = 0;
    for (const i of g.items) {
      const xv = x.value(i.point, context);
      const yv = y.value(i.point, context);
      if (xv === undefined || yv === undefined || !Number.isFinite(xv) || !Number.isFinite(yv))
        missing++;
      else points.push({ x: xv, y: yv, id: i.id });
    }
    const front = paretoFrontier(
      points.map((p) => ({ x: p.x, y: p.y, item: p.id })),
      { x: x.direction, y: y.direction },
    ).map((p) => ({ x: p.x, y: p.y, id: p.item }));
    const isHidden = hidden.has(g.key);
    if (!isHidden) {
      plotted += points.length;
      skipped += missing;
    }
    const onFront = new Set(front.map((p) => p.id));
    return {
      key: g.key,
      label: g.label,
      dims: g.dims,
      points: state.frontierOnly ? points.filter((p) => onFront.has(p.id)) : points,
      frontier: front,
      skipped: missing,
      hidden: isHidden,
    };
  });
  return { groups, plotted, skipped };
}
