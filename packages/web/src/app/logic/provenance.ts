import { SOURCE_NAMES, sourceName } from "./source-name.js";
import type { Item } from "./types.js";

/**
 * Where a chart's points come from and when they ran, for its subtitle, so that a screenshot of it says so:
 * `InferenceX, measured · runs 2025-12-08 to 2026-07-01`, with `, as of 2026-05-01` when the view looks back to a
 * day. `dates: false` leaves the runs' dates out (the trends chart's axis gives them). Empty for no points.
 * @example provenance(items, "") // "InferenceX · runs 2025-12-08 to 2026-06-02"
 */
export function provenance(
  items: Iterable<Item>,
  asOf: string,
  { dates = true }: { dates?: boolean } = {},
): string {
  const sources = new Set<string>();
  let first = "";
  let last = "";
  for (const item of items) {
    sources.add(sourceName(item));
    const day = item.point.run.date.slice(0, 10);
    if (!first || day < first) first = day;
    if (!last || day > last) last = day;
  }
  if (sources.size === 0) return "";
  const parts = [SOURCE_NAMES.filter((s) => sources.has(s)).join(", ")];
  if (dates) {
    const span = first === last ? `run ${first}` : `runs ${first} to ${last}`;
    parts.push(asOf ? `${span}, as of ${asOf}` : span);
  }
  return parts.join(" · ");
}

/** A subtitle with the provenance after what the groups share. */
export const withProvenance = (shared: string, from: string): string =>
  [shared, from].filter(Boolean).join(" · ");
