import {
  type CostCatalog,
  DEFAULT_CATALOG,
  type PointGroup,
  paretoFrontier,
} from "@infermark/core";
import type { ViewState } from "../state/view-state.js";
import { dashboardGroups } from "./dashboard-groups.js";
import { flagOf } from "./flagged-points.js";
import { stateAxes, stateContext } from "./metrics.js";
import type { Item } from "./types.js";

/** One plotted point: its coordinates and its store id. */
export interface PlotPoint {
  x: number;
  y: number;
  id: string;
  /** why the point contradicts itself (`flagOf`: Little's law); absent when it does not */
  flagged?: string;
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
  /** of those, the points without a value on the y axis (a group whose every point lacks y has no y metric) */
  missingY: number;
  hidden: boolean;
}

/** What the frontier chart draws. */
export interface FrontierSeries {
  groups: GroupSeries[];
  /** all points considered (with both values) over visible groups */
  plotted: number;
  /** the points drawn over visible groups: `plotted`, or only the frontier points with `frontierOnly` */
  drawn: number;
  skipped: number;
  /** the visible groups' points (with both values) that `flagOf` flags, and how many of them are on a frontier */
  flagged: { points: number; onFrontier: number };
}

/** What a group's plotted values depend on: the axes and the pricing. */
export const axesKey = (s: Pick<ViewState, "x" | "y" | "tier" | "price">) =>
  `${s.x}|${s.y}|${s.tier}|${s.price}`;

/**
 * One group's points on the state's axes and its Pareto frontier (core's metrics and paretoFrontier), all points
 * kept and the group shown: what `buildFrontierSeries` caches per group and axes. Cost and provisioned energy use
 * the catalog's figures.
 */
export function groupSeries(
  group: PointGroup<Item>,
  state: ViewState,
  catalog: CostCatalog,
): GroupSeries {
  const { x, y } = stateAxes(state);
  const context = stateContext(state, catalog);
  const points: PlotPoint[] = [];
  let missing = 0;
  let missingY = 0;
  for (const i of group.items) {
    const xv = x.value(i.point, context);
    const yv = y.value(i.point, context);
    const noY = yv === undefined || !Number.isFinite(yv);
    if (noY) missingY++;
    if (noY || xv === undefined || !Number.isFinite(xv)) missing++;
    else {
      const flagged = flagOf(i.point);
      points.push({ x: xv, y: yv, id: i.id, ...(flagged === undefined ? {} : { flagged }) });
    }
  }
  const frontier = paretoFrontier(
    points.map((p) => ({ x: p.x, y: p.y, item: p })),
    { x: x.direction, y: y.direction },
  ).map((p) => p.item);
  return {
    key: group.key,
    label: group.label,
    dims: group.dims,
    points,
    frontier,
    skipped: missing,
    missingY,
    hidden: false,
  };
}

/**
 * Composes the frontier chart's series from groups (METRICS.md groups, from core's groupPoints). Hidden groups
 * (legend toggles) are kept with `hidden: true` so the legend still lists them. With `frontierOnly` the points off
 * the frontier are left out of `points`. `series` gives a group's series on the state's axes: pass a cached one
 * (see GroupIndex) so a filter change does not recompute the groups it keeps.
 */
export function composeFrontierSeries(
  groups: readonly PointGroup<Item>[],
  state: ViewState,
  series: (group: PointGroup<Item>) => GroupSeries,
): FrontierSeries {
  const hidden = new Set(state.hidden);
  let plotted = 0;
  let drawn = 0;
  let skipped = 0;
  const flagged = { points: 0, onFrontier: 0 };
  const out = groups.map((g): GroupSeries => {
    const base = series(g);
    const isHidden = hidden.has(g.key);
    if (!isHidden) {
      plotted += base.points.length;
      skipped += base.skipped;
      for (const p of base.points) if (p.flagged !== undefined) flagged.points++;
      for (const p of base.frontier) if (p.flagged !== undefined) flagged.onFrontier++;
    }
    let points = base.points;
    if (state.frontierOnly) {
      const onFront = new Set(base.frontier.map((p) => p.id));
      points = points.filter((p) => onFront.has(p.id));
    }
    if (!isHidden) drawn += points.length;
    return { ...base, points, hidden: isHidden };
  });
  return { groups: out, plotted, drawn, skipped, flagged };
}

/**
 * Builds the frontier chart's series with core's grouping and Pareto frontier (METRICS.md groups), cost and
 * provisioned energy from the catalog's figures (the built-in catalog by default).
 * @example buildFrontierSeries(items, { ...DEFAULT_STATE, y: "costPerMillionTotal" }).groups[0].frontier
 */
export function buildFrontierSeries(
  items: readonly Item[],
  state: ViewState,
  catalog: CostCatalog = DEFAULT_CATALOG,
): FrontierSeries {
  return composeFrontierSeries(dashboardGroups(items), state, (g) =>
    groupSeries(g, state, catalog),
  );
}
