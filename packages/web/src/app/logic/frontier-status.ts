import type { FrontierSeries } from "./frontier-series.js";

/**
 * The frontier view's status line: how many points are drawn, in how many of the groups, and how many lack a
 * value on an axis. With "hide points off the frontier" it says how many of the points are drawn.
 * @example frontierStatus(series, { xName, yName }, true) // "12 of 36 points shown (frontier only) in 8 of 8 groups"
 */
export function frontierStatus(
  series: FrontierSeries,
  axes: { xName: string; yName: string },
  frontierOnly: boolean,
): string {
  const visible = series.groups.filter((g) => !g.hidden).length;
  const points = frontierOnly
    ? `${series.drawn} of ${series.plotted} points shown (frontier only)`
    : `${series.plotted} points`;
  const missing = series.skipped
    ? `; ${series.skipped} points have no ${axes.yName} or ${axes.xName}`
    : "";
  return `${points} in ${visible} of ${series.groups.length} groups${missing}`;
}
