import { drawnLabels } from "./drawn-labels.js";
import type { GroupSeries } from "./frontier-series.js";
import { isEmpty } from "./frontier-status.js";

/** How the frontier view names its groups: see `frontierLabels`. */
export interface FrontierLabels {
  /** the groups with a point on the axes (hidden ones too): the legend's toggles */
  withPoints: GroupSeries[];
  /** the groups without one, which draw nothing: listed apart */
  empty: GroupSeries[];
  /** each group's short label: a group with points without what those share, an empty one without what all share */
  labels: Map<string, string>;
  /** what the drawn groups share (`chartSubtitle`): those with points that the legend does not hide */
  subtitle: string;
}

/**
 * The frontier chart's group labels and subtitle, from the groups it draws rather than every group the filters
 * keep (`drawnLabels`): with a sparse metric (measured J/token, 3 of 60 groups), the subtitle says what the three
 * share ("mi355x") and their labels leave it out. A legend toggle changes the subtitle, never the labels (the labels
 * of the groups with points leave out only what all of them share, which is in every subtitle).
 * @example frontierLabels(series).subtitle // "dsr1 · ISL/OSL 1024/1024 · mi355x · agg"
 */
export function frontierLabels(groups: readonly GroupSeries[]): FrontierLabels {
  const withPoints = groups.filter((g) => !isEmpty(g));
  const empty = groups.filter(isEmpty);
  const { labels, subtitle } = drawnLabels(
    groups,
    new Set(withPoints.map((g) => g.key)),
    new Set(groups.filter((g) => g.hidden).map((g) => g.key)),
  );
  return { withPoints, empty, labels, subtitle };
}
