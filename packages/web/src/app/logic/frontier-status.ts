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
    ? `${series.drawn} of ${count(series.plotted, "point")} shown (frontier only)`
    : count(series.plotted, "point");
  const missing = series.skipped
    ? `; ${count(series.skipped, "point")} ${series.skipped === 1 ? "has" : "have"} no ${axes.yName} or ${axes.xName}`
    : "";
  return `${points} in ${visible} of ${count(series.groups.length, "group")}${missing}`;
}

/** `1 point`, `2 points`. */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
