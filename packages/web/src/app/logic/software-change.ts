import type { TrendLine } from "./trend-series.js";

/**
 * The serving software of a trend line's first and last dates with a value, as the trends table says it: `first →
 * last`, one name when it did not change; when the points of one of those dates record none, the other's name and
 * which date recorded none (it read "– → v0.5.5.post2"); empty when neither does.
 * @example softwareChange(line) // "v0.5.4 → v0.5.5.post2", or "v0.5.5.post2 (first date: not recorded)"
 */
export function softwareChange(line: Pick<TrendLine, "dates">): string {
  const valued = line.dates.filter((d) => d.value !== undefined);
  const first = valued[0]?.software.join(", ") ?? "";
  const last = valued.at(-1)?.software.join(", ") ?? "";
  if (!first) return last && `${last} (first date: not recorded)`;
  if (!last) return `${first} (last date: not recorded)`;
  return first === last ? first : `${first} → ${last}`;
}
