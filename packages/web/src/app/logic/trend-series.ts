import { type CostCatalog, type GroupTrend, softwareList, trend } from "@infermark/core";
import type { ViewState } from "../state/view-state.js";
import { dashboardGroups } from "./dashboard-groups.js";
import { stateAxes, stateContext } from "./metrics.js";
import { frontierRange } from "./nothing-drawn.js";
import type { Item } from "./types.js";

/** One group's trend line: the value at the target on each date that has one. */
export interface TrendLine {
  key: string;
  label: string;
  /**
   * each date's value, the serving software its frontier ran (`softwareList`; empty when not recorded) and the
   * interactivity its frontier covers (none without a frontier)
   */
  dates: {
    date: string;
    value?: number;
    reason?: string;
    software: string[];
    range?: [number, number];
  }[];
  /** value(last) / value(first), or why there is none */
  factor?: number;
  factorReason?: string;
  /** hidden through the legend: kept, so that the legend can tell a hidden line from a group without one */
  hidden: boolean;
  /** the group's points, over all dates, with a value on both axes (none: no date has a frontier) */
  considered: number;
  /** the points without a value on one axis, and of those the points without one on y (as `GroupSeries` counts) */
  skipped: number;
  missingY: number;
}

/**
 * Each group's value at the target interactivity for each date's frontier (core's `trend`), cost and provisioned
 * energy from the catalog's figures; the groups hidden through the legend are kept with `hidden: true`. Give it
 * the points of every date (not only the latest).
 * @example buildTrends(history, { ...DEFAULT_STATE, target: 35 }, DEFAULT_CATALOG)[0].factor
 */
export function buildTrends(
  items: readonly Item[],
  state: ViewState,
  catalog: CostCatalog,
): TrendLine[] {
  const hidden = new Set(state.hidden);
  const { y } = stateAxes({ x: "intvty", y: state.y });
  const context = stateContext(state, catalog);
  // the dashboard's groups (`dashboardGroups`: a group of your points and imported ones is one per source), each
  // one core trend group
  return dashboardGroups(items).flatMap((g) =>
    trend(
      g.items.map((i) => i.point),
      state.target,
      { x: "intvty", y: state.y, context },
    ).map((t) => trendLine(t, g, hidden, y, context)),
  );
}

/** A group's trend (core's, of its points alone) as the trends view draws it, under the dashboard group's key and label. */
function trendLine(
  t: GroupTrend,
  g: { key: string; label: string },
  hidden: ReadonlySet<string>,
  y: ReturnType<typeof stateAxes>["y"],
  context: ReturnType<typeof stateContext>,
): TrendLine {
  let considered = 0;
  let skipped = 0;
  for (const d of t.dates) {
    considered += d.frontier.considered;
    skipped += d.frontier.skipped;
  }
  // what a group that has no frontier lacks: its y metric (a sparse one: measured J/token) or interactivity
  const missingY =
    skipped === 0
      ? 0
      : t.group.items.filter((p) => {
          const v = y.value(p, context);
          return v === undefined || !Number.isFinite(v);
        }).length;
  return {
    key: g.key,
    label: g.label,
    dates: t.dates.map((d) => {
      const software = softwareList(d.frontier.points.map((p) => p.item));
      const range = frontierRange(d.frontier);
      const common = { date: d.date, software, ...(range ? { range } : {}) };
      return d.value.ok
        ? { ...common, value: d.value.value }
        : { ...common, reason: d.value.reason };
    }),
    ...(t.factor.ok ? { factor: t.factor.factor } : { factorReason: t.factor.reason }),
    hidden: hidden.has(g.key),
    considered,
    skipped,
    missingY,
  };
}

/** Whether a trend line draws anything: a value at the target on some date. */
export const hasValue = (l: Pick<TrendLine, "dates">): boolean =>
  l.dates.some((d) => d.value !== undefined);
