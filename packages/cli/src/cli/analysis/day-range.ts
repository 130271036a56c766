import { isIsoDay } from "@infermark/core";
import { InvalidArgumentError } from "commander";
import { DAY_KEYWORDS, type DayRef } from "../../commands/trend-days.js";

/** The days `--between` selects; either may be left out. */
export type DayRange = { from?: DayRef; to?: DayRef };

/** A keyword's place among the selected points' days (`DAY_KEYWORDS` is in day order); -1 for a day. */
const keywordRank = (d: string) => (DAY_KEYWORDS as readonly string[]).indexOf(d);

/**
 * A commander parser for `--between D1,D2`: two days YYYY-MM-DD or the keywords `first`, `previous` and `latest`
 * (resolved against the selected points' run days), either left out (`,D2`, `D1,`, `D1`). The days are compared with
 * run days as text, so anything else would silently select other dates or none.
 * @example dayRange("2025-01-01,") // { from: "2025-01-01" }
 * @example dayRange("previous,latest") // { from: "previous", to: "latest" }
 */
export function dayRange(value: string): DayRange {
  const parts = value.split(",").map((s) => s.trim());
  const [from = "", to = ""] = parts;
  const isRef = (d: string) => isIsoDay(d) || keywordRank(d) >= 0;
  if (
    parts.length > 2 ||
    (from === "" && to === "") ||
    [from, to].some((d) => d !== "" && !isRef(d))
  )
    throw new InvalidArgumentError(
      `--between expects D1,D2 (days YYYY-MM-DD or ${DAY_KEYWORDS.join(", ")}; either may be left out), got "${value}"`,
    );
  const bothDays = isIsoDay(from) && isIsoDay(to);
  const bothKeywords = keywordRank(from) >= 0 && keywordRank(to) >= 0;
  if ((bothDays && from > to) || (bothKeywords && keywordRank(from) > keywordRank(to)))
    throw new InvalidArgumentError(`--between: ${from} is after ${to}`);
  return { ...(from ? { from: from as DayRef } : {}), ...(to ? { to: to as DayRef } : {}) };
}
