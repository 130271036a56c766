import { chartSubtitle } from "./chart-subtitle.js";
import type { LabelledGroup } from "./shared-dimensions.js";
import { shortLabels } from "./short-labels.js";

/** A view's group labels and chart subtitle: see `drawnLabels`. */
export interface DrawnLabels {
  /** each group's short label: one with data without what those with data share, one without what all share */
  labels: Map<string, string>;
  /** what the groups drawn share (`chartSubtitle`): those with data that the legend does not hide */
  subtitle: string;
}

/**
 * The labels and subtitle of a chart that draws only some of the groups the filters keep (a sparse metric:
 * measured J/token in 3 of 60 groups; a target interactivity few frontiers reach), made from the same groups, so
 * that together they name each group once: the subtitle says what the drawn groups share ("mi355x"), their labels
 * leave it out. `withData`: the groups with something to draw, hidden through the legend or not (a legend toggle
 * changes the subtitle, never the labels); `hidden`: the groups the legend hides. The groups without data keep
 * labels without what all the groups share. When one group alone has data, its label says what sets it apart from
 * the other groups and the subtitle what they all share: the one group's own subtitle would name its whole
 * configuration, and its label (a single group keeps its full label) all of it again.
 * @example drawnLabels(groups, new Set([sglang, atom]), new Set()).subtitle // "dsr1 · ISL/OSL 1024/1024 · mi355x · fp8 · agg"
 */
export function drawnLabels(
  groups: readonly LabelledGroup[],
  withData: ReadonlySet<string>,
  hidden: ReadonlySet<string>,
): DrawnLabels {
  const valued = groups.filter((g) => withData.has(g.key));
  const labels = shortLabels(groups);
  const drawn = valued.filter((g) => !hidden.has(g.key));
  if (valued.length <= 1)
    return { labels, subtitle: drawn.length > 0 ? chartSubtitle(groups) : "" };
  for (const [key, label] of shortLabels(valued)) labels.set(key, label);
  return { labels, subtitle: chartSubtitle(drawn) };
}
