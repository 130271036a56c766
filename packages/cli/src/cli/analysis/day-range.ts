import { isIsoDay } from "@infermark/core";
import { InvalidArgumentError } from "commander";

/** The days `--between` selects; either may be left out. */
export type DayRange = { from?: string; to?: string };

/**
 * A commander parser for `--between D1,D2`: two days YYYY-MM-DD, either left out (`,D2`, `D1,`, `D1`). The days
 * are compared with run days as text, so anything else would silently select other dates or none.
 * @example dayRange("2025-01-01,") // { from: "2025-01-01" }
 */
export function dayRange(value: string): DayRange {
  const parts = value.split(",").map((s) => s.trim());
  const [from = "", to = ""] = parts;
  if (
    parts.length > 2 ||
    (from === "" && to === "") ||
    [from, to].some((d) => d !== "" && !isIsoDay(d))
  )
    throw new InvalidArgumentError(
      `--between expects D1,D2 (days YYYY-MM-DD; either may be left out), got "${value}"`,
    );
  if (from !== "" && to !== "" && from > to)
    throw new InvalidArgumentError(`--between: ${from} is after ${to}`);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}
