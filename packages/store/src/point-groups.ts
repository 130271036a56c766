import type { PointGroupsTable, PointsTable } from "./schema.js";

/** The key columns of `point_groups`, in the order `listGroups` sorts by. */
export const GROUP_KEY = [
  "model",
  "isl",
  "osl",
  "workload",
  "hardware",
  "framework",
  "precision",
  "spec_method",
  "disaggregated",
  "source",
  "valid",
] as const satisfies readonly (keyof PointGroupsTable & keyof PointsTable)[];

/**
 * How a batch's group counts merge into `point_groups` on conflict (both dialects), column by column: counts
 * add up, the first day is the earlier one, the last day the later one.
 */
export const MERGE_GROUPS = {
  points: "point_groups.points + excluded.points",
  first_day:
    "case when excluded.first_day < point_groups.first_day then excluded.first_day else point_groups.first_day end",
  last_day:
    "case when excluded.last_day > point_groups.last_day then excluded.last_day else point_groups.last_day end",
} as const;

/**
 * The group counts of a batch of newly inserted points: one row per group, with its number of points and
 * its first and last day.
 * @example groupsOf(rows) // [{ model: "dsr1", ..., valid: 1, points: 8, first_day: "2026-01-01", last_day: "2026-01-05" }]
 */
export function groupsOf(rows: readonly PointsTable[]): PointGroupsTable[] {
  // Every group column but source and validity is a configuration column: count per configuration first
  // (a short key), then merge configurations that fall in one group.
  const perConfiguration = new Map<string, PointGroupsTable>();
  for (const r of rows) {
    const key = `${r.configuration_id}|${r.source}|${r.valid}`;
    const g = perConfiguration.get(key);
    if (g) {
      g.points++;
      if (r.day < g.first_day) g.first_day = r.day;
      if (r.day > g.last_day) g.last_day = r.day;
    } else perConfiguration.set(key, groupOf(r));
  }
  const groups = new Map<string, PointGroupsTable>();
  for (const g of perConfiguration.values()) {
    const key = GROUP_KEY.map((k) => g[k]).join("\u0000");
    const cur = groups.get(key);
    if (cur) {
      cur.points += g.points;
      if (g.first_day < cur.first_day) cur.first_day = g.first_day;
      if (g.last_day > cur.last_day) cur.last_day = g.last_day;
    } else groups.set(key, g);
  }
  return [...groups.values()];
}

function groupOf(r: PointsTable): PointGroupsTable {
  return {
    model: r.model,
    isl: r.isl,
    osl: r.osl,
    workload: r.workload,
    hardware: r.hardware,
    framework: r.framework,
    precision: r.precision,
    spec_method: r.spec_method,
    disaggregated: r.disaggregated,
    source: r.source,
    valid: r.valid,
    points: 1,
    first_day: r.day,
    last_day: r.day,
  };
}
