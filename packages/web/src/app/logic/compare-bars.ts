import {
  type CostCatalog,
  DEFAULT_CATALOG,
  DEFAULT_GROUP_DIMENSIONS,
  frontierOf,
  groupLabel,
  type PointGroup,
} from "@infermark/core";
import type { ViewState } from "../state/view-state.js";
import { dashboardGroups } from "./dashboard-groups.js";
import { stateAxes, stateContext } from "./metrics.js";
import { frontierRange } from "./nothing-drawn.js";
import type { Item } from "./types.js";

/** One bar of the compare view: a group's frontier value at the target, or why it has none. */
export interface CompareBar {
  key: string;
  label: string;
  value?: number;
  reason?: string;
  /** the group's frontier range on x */
  range?: [number, number];
}

/** The compare view's content: a bar per visible group and the ratio of the selected pair. */
export interface CompareResult {
  target: number;
  bars: CompareBar[];
  ratio?: { a: CompareBar; b: CompareBar; value?: number; reason?: string };
  /** A or B (`pair`) names a group hidden through the legend: it has no bar, so no ratio */
  pairHidden?: boolean;
  /** A or B (`pair`) names a group the filters leave out (not hidden): its label, read from its key */
  pairMissing?: { which: "A" | "B"; label: string }[];
  /**
   * the keys of the groups with a value at the target, hidden through the legend or not: those the chart's labels
   * are made from (`drawnLabels`), so that a legend toggle does not change them
   */
  valued: string[];
  /** every group's key, hidden or not, in the bars' order (best first, those without a value last) */
  order: string[];
}

/**
 * Each visible group's value at the state's target interactivity, interpolated on its frontier with core's Steffen
 * interpolation (never extrapolated), and the ratio of the two selected bars (`pair`: A / B). Cost and provisioned
 * energy use the catalog's figures (the built-in catalog by default). The bars come best first: by value, descending,
 * or ascending for a metric where lower is better (cost, energy per token), ties and bars without a value (last) in
 * the groups' order.
 * @example buildCompare(items, { ...DEFAULT_STATE, target: 75, pair: [keyA, keyB] }).ratio?.value
 */
export function buildCompare(
  items: readonly Item[],
  state: ViewState,
  catalog: CostCatalog = DEFAULT_CATALOG,
): CompareResult {
  return compareGroups(dashboardGroups(items), state, catalog);
}

/** buildCompare over groups already made (core's groupPoints, METRICS.md groups). */
export function compareGroups(
  groups: readonly PointGroup<Item>[],
  state: ViewState,
  catalog: CostCatalog,
): CompareResult {
  const { x, y } = stateAxes({ x: "intvty", y: state.y });
  const context = stateContext(state, catalog);
  const hidden = new Set(state.hidden);
  // the hidden groups' values too: whether they have one decides the labels of the others
  const all = groups.map((g): CompareBar => {
    const frontier = frontierOf(
      g.items.map((i) => i.point),
      { x, y, context },
    );
    const range = frontierRange(frontier);
    const at = frontier.at(state.target);
    return at.ok
      ? { key: g.key, label: g.label, value: at.value, ...(range ? { range } : {}) }
      : { key: g.key, label: g.label, reason: at.reason, ...(range ? { range } : {}) };
  });
  // sorted with the hidden ones, so that a legend in the bars' order keeps an entry where it is when it is hidden
  const sorted = sortBars(all, y.direction);
  const bars = sorted.filter((b) => !hidden.has(b.key));
  const valued = sorted.filter((b) => b.value !== undefined).map((b) => b.key);
  const order = sorted.map((b) => b.key);
  const result: CompareResult = { target: state.target, bars, valued, order };
  const [ka, kb] = state.pair;
  if ((ka && hidden.has(ka)) || (kb && hidden.has(kb))) result.pairHidden = true;
  const a = bars.find((b) => b.key === ka);
  const b = bars.find((bar) => bar.key === kb);
  const missing = (
    [
      ["A", ka, a],
      ["B", kb, b],
    ] as const
  ).filter(([, key, bar]) => key && !bar && !hidden.has(key));
  if (missing.length > 0)
    result.pairMissing = missing.map(([which, key]) => ({ which, label: keyLabel(key!) }));
  if (a && b) {
    if (a.value === undefined || b.value === undefined) {
      // which side has none, and why, as `infermark compare` says it
      const reason = [
        a.value === undefined ? `A: ${a.reason}` : "",
        b.value === undefined ? `B: ${b.reason}` : "",
      ];
      result.ratio = { a, b, reason: reason.filter(Boolean).join("; ") };
    } else if (b.value === 0) result.ratio = { a, b, reason: "B is 0" };
    else result.ratio = { a, b, value: a.value / b.value };
  }
  return result;
}

/** Bars by value, best first in `direction`, stably; those without a value after them, in their order. */
function sortBars(bars: CompareBar[], direction: "higher" | "lower"): CompareBar[] {
  const sign = direction === "lower" ? 1 : -1;
  const valued = bars.filter((b) => b.value !== undefined);
  valued.sort((a, b) => sign * (a.value! - b.value!));
  return [...valued, ...bars.filter((b) => b.value === undefined)];
}

/**
 * A group's label from its key (`dsr1|1024|1024|random|h200|...`, with `|<source>` after it for a group split by
 * source: `dashboardGroups`), as core labels groups; else the key.
 */
function keyLabel(key: string): string {
  const parts = key.split("|");
  const dims: string[] = [...DEFAULT_GROUP_DIMENSIONS];
  if (parts.length === dims.length + 1) dims.push("source");
  if (parts.length !== dims.length) return key;
  return groupLabel(Object.fromEntries(dims.map((d, i) => [d, parts[i]])));
}
