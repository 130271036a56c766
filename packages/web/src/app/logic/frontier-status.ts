import type { FrontierSeries, GroupSeries } from "./frontier-series.js";
import { have, plural } from "./plural.js";

/**
 * The frontier view's status line: how many points are drawn, in how many of the groups, and why the others draw
 * nothing. A group is drawn when it has a point with both values and is not hidden; the groups without any such
 * point are counted apart, naming the metric they lack (InferenceX has measured J/token for 3 of 60 groups: "13
 * points in 3 of 60 groups; 57 groups have no J/token"), then the groups hidden through the legend, then the points
 * of drawn groups that lack a value. With "hide points off the frontier" it says how many of the points are drawn.
 * @example frontierStatus(series, { xName, yName }, true) // "12 of 36 points shown (frontier only) in 8 of 8 groups"
 */
export function frontierStatus(
  series: FrontierSeries,
  axes: { xName: string; yName: string },
  frontierOnly: boolean,
): string {
  const empty = series.groups.filter(isEmpty);
  const drawn = series.groups.filter((g) => !g.hidden && !isEmpty(g));
  const hidden = series.groups.filter((g) => g.hidden && !isEmpty(g)).length;
  const points = frontierOnly
    ? `${series.drawn} of ${plural(series.plotted, "point")} shown (frontier only)`
    : plural(series.plotted, "point");
  const parts = [`${points} in ${drawn.length} of ${plural(series.groups.length, "group")}`];
  if (empty.length > 0)
    parts.push(`${plural(empty.length, "group")} ${have(empty.length)} no ${lacks(empty, axes)}`);
  if (hidden > 0) parts.push(`${hidden} hidden in the legend`);
  const lacking = drawn.reduce((n, g) => n + g.skipped, 0);
  if (lacking > 0)
    parts.push(
      `${plural(lacking, "more point")} ${have(lacking)} no ${axes.yName} or ${axes.xName}`,
    );
  return parts.join("; ");
}

/**
 * A group with no point on the chart's axes (no value on one of them at all): the legend lists it apart, as
 * drawing nothing. Hidden or not: the legend does not offer to show what it would not draw.
 */
export const isEmpty = (g: Pick<GroupSeries, "points" | "skipped">) =>
  g.points.length === 0 && g.skipped > 0;

/**
 * What the groups without a point lack, for the status line and the legend's list of them: the y metric when none
 * of their points has it (the usual case: a sparse metric), the x metric when all have y, else a point with both.
 */
export function lacks(
  empty: readonly Pick<GroupSeries, "skipped" | "missingY">[],
  axes: { xName: string; yName: string },
): string {
  if (empty.every((g) => g.missingY === g.skipped)) return axes.yName;
  if (empty.every((g) => g.missingY === 0)) return axes.xName;
  return `point with both ${axes.yName} and ${axes.xName}`;
}
