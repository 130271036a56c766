import type { CompareResult } from "./compare-bars.js";
import { have, plural } from "./plural.js";

/**
 * The compare view's status line: how many of the groups shown (the bars) have a value at the target (`at`:
 * `50.0 tok/s/user`), and how many more of the `groups` the filters keep the legend hides (else "0 of 0 groups"
 * reads as a store without any).
 * @example compareStatus(result, 60, "50.0 tok/s/user") // "1 of 60 groups has a value at 50.0 tok/s/user"
 */
export function compareStatus(
  result: Pick<CompareResult, "bars">,
  groups: number,
  at: string,
): string {
  const shown = result.bars.length;
  const withValue = result.bars.filter((b) => b.value !== undefined).length;
  const hidden = groups - shown;
  return `${withValue} of ${plural(shown, "group")} ${have(withValue)} a value at ${at}${hidden > 0 ? ` (${hidden} more hidden in the legend)` : ""}`;
}
