import type { CompareResult } from "../logic/compare-bars.js";
import { fmt } from "./format.js";

/**
 * The compare view's headline for the chosen pair: the ratio with the metric and the target it is read at, so the
 * line stands alone when quoted (as `infermark compare --at` prints it), and "lower is better" for cost and energy.
 * @example ratioHeadline(result, "tput/GPU (tok/s/GPU)", "higher") // "gb200 ... / h100 ... = 98.00× tput/GPU (tok/s/GPU) at 116 tok/s/user"
 */
export function ratioHeadline(
  result: CompareResult,
  yName: string,
  direction: "higher" | "lower",
): string {
  const r = result.ratio;
  if (!r && result.pairHidden)
    return "A or B is hidden in the legend: show it again to see the ratio.";
  const missing = result.pairMissing ?? [];
  if (!r && missing.length > 0) {
    const named = missing.map((m) => `${m.which} (${m.label})`).join(" and ");
    return missing.length === 1
      ? `${named} is not among the groups these filters show: choose another ${missing[0]!.which}, or widen the filters.`
      : `${named} are not among the groups these filters show: choose others, or widen the filters.`;
  }
  if (!r) return "Select two groups (A and B) to see their ratio.";
  const at = `at ${fmt(result.target)} tok/s/user`;
  if (r.value === undefined) return `${r.a.label} / ${r.b.label} ${at}: ${r.reason}`;
  const lower = direction === "lower" ? " (lower is better)" : "";
  return `${r.a.label} / ${r.b.label} = ${r.value.toFixed(2)}× ${yName} ${at}${lower}`;
}

/**
 * The compare chart's option for Export PNG: the ratio headline under the subtitle (one more line, the plot moved
 * down by it), so the image carries the comparison the page shows above the chart. Without a chosen pair: unchanged.
 */
export function withRatioHeadline<
  // biome-ignore lint/suspicious/noExplicitAny: ECharts options are loosely typed JSON
  T extends { title?: any; grid?: any },
>(option: T, result: CompareResult, headline: string): T {
  if (!result.ratio) return option;
  const subtext = [option.title?.subtext, headline].filter(Boolean).join("\n");
  return {
    ...option,
    // two subtext lines: a line height, or ECharts draws them over each other
    title: {
      ...option.title,
      subtext,
      subtextStyle: { ...option.title?.subtextStyle, lineHeight: 16 },
    },
    grid: { ...option.grid, top: (option.grid?.top ?? 40) + 18 },
  };
}
