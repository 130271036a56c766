import { type CostCatalog, softwareList, trend } from "@infermark/core";
import type { ViewState } from "../state/view-state.js";
import { stateContext } from "./metrics.js";
import type { Item } from "./types.js";

/** One group's trend line: the value at the target on each date that has one. */
export interface TrendLine {
  key: string;
  label: string;
  /** each date's value, and the serving software its frontier ran (`softwareList`; empty when not recorded) */
  dates: { date: string; value?: number; reason?: string; software: string[] }[];
  /** value(last) / value(first), or why there is none */
  factor?: number;
  factorReason?: string;
}

/**
 * Each visible group's value at the target interactivity for each date's frontier (core's `trend`), cost and
 * provisioned energy from the catalog's figures. Give it the points of every date (not only the latest).
 * @example buildTrends(history, { ...DEFAULT_STATE, target: 35 }, DEFAULT_CATALOG)[0].factor
 */
export function buildTrends(
  items: readonly Item[],
  state: ViewState,
  catalog: CostCatalog,
): TrendLine[] {
  const hidden = new Set(state.hidden);
  return trend(
    items.map((i) => i.point),
    state.target,
    { x: "intvty", y: state.y, context: stateContext(state, catalog) },
  )
    .filter((t) => !hidden.has(t.group.key))
    .map((t) => ({
      key: t.group.key,
      label: t.group.label,
      dates: t.dates.map((d) => {
        const software = softwareList(d.frontier.points.map((p) => p.item));
        return d.value.ok
          ? { date: d.date, value: d.value.value, software }
          : { date: d.date, reason: d.value.reason, software };
      }),
      ...(t.factor.ok ? { factor: t.factor.factor } : { factorReason: t.factor.reason }),
    }));
}
