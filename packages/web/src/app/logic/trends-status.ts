import { lacks } from "./frontier-status.js";
import { frontierSpan, type NothingDrawnCause } from "./nothing-drawn.js";
import { have, plural } from "./plural.js";
import { hasValue, type TrendLine } from "./trend-series.js";

/** The names the trends view's status line uses: the axes' labels and the target (`50.0 tok/s/user`). */
export interface TrendsWords {
  xName: string;
  yName: string;
  at: string;
}

/**
 * The trends view's status line: how many groups draw a line (a value at the target on some date), over how many
 * dates (and, when no group has a value on two, that no trend can be read yet), and why the others draw none, as
 * the frontier's status line does (`frontierStatus`): the groups without a point with the y metric (InferenceX has
 * measured J/token for 3 of 60 groups), then those whose frontiers have it but never reach the target, then the
 * groups hidden through the legend.
 * @example trendsStatus(lines, words) // "1 of 60 groups has a value at 50.0 tok/s/user, on 9 dates; 57 groups have no J/token; 2 groups have no value at 50.0 tok/s/user on any date"
 */
export function trendsStatus(lines: readonly TrendLine[], words: TrendsWords): string {
  const drawn = lines.filter((l) => !l.hidden && hasValue(l));
  const dates = new Set(
    drawn.flatMap((l) => l.dates.filter((d) => d.value !== undefined).map((d) => d.date)),
  ).size;
  const head = `${drawn.length} of ${plural(lines.length, "group")} ${have(drawn.length)} a value at ${words.at}`;
  const parts = [
    dates > 0 ? `${head}, on ${plural(dates, "date")}${untrended(drawn, dates)}` : head,
  ];
  const without = lines.filter((l) => !hasValue(l));
  const none = without.filter(noFrontier);
  const outside = without.length - none.length;
  if (none.length > 0)
    parts.push(`${plural(none.length, "group")} ${have(none.length)} no ${lacks(none, words)}`);
  if (outside > 0)
    parts.push(`${plural(outside, "group")} ${have(outside)} no value at ${words.at} on any date`);
  const hidden = lines.filter((l) => l.hidden && hasValue(l)).length;
  if (hidden > 0) parts.push(`${hidden} hidden in the legend`);
  return parts.join("; ");
}

/**
 * What the status says when the lines drawn show no trend: no group has a value on two dates (a line of one point
 * is no trend, and its change from the first to the last date has none).
 */
function untrended(drawn: readonly TrendLine[], dates: number): string {
  if (drawn.some((l) => l.dates.filter((d) => d.value !== undefined).length >= 2)) return "";
  return dates === 1
    ? " only, so no trend can be read yet"
    : ", but no group on more than one, so no trend can be read yet";
}

/**
 * What the groups without a line lack, for the legend's list of them: the y metric (or interactivity) when none has
 * a point with both, else a value at the target (a frontier that does not reach it, or no frontier at all).
 * @example trendsLacking(without, words) // "J/token (measured or reported)" or "value at 50.0 tok/s/user on any date"
 */
export function trendsLacking(without: readonly TrendLine[], words: TrendsWords): string {
  return trendsCause(without, words).lacking;
}

/**
 * Why the groups without a line draw none (`trendsLacking`), as a view that draws nothing says it: with a target
 * outside every date's frontier, the span of interactivity those frontiers cover, so that the user knows what
 * target to pick (as the compare view says it).
 */
export function trendsCause(without: readonly TrendLine[], words: TrendsWords): NothingDrawnCause {
  if (without.every(noFrontier)) return { kind: "metric", lacking: lacks(without, words) };
  const span = frontierSpan(without.flatMap((l) => l.dates.map((d) => d.range)));
  return { kind: "target", lacking: `value at ${words.at} on any date`, ...(span ? { span } : {}) };
}

/** A group without a point with both values on any date: it has no frontier, whatever the target. */
const noFrontier = (l: TrendLine) => l.considered === 0 && l.skipped > 0;
