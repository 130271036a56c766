import type { LatestPointsTable, PointsTable } from "./schema.js";

/**
 * The newest point (by date, then id) of each level and source among `rows`: the rows a batch of new
 * points adds to `latest_points` (an upsert keeps the newer of these and the stored one).
 * @example newestPerLevel(freshRows) // [{ level_hash, source, model, date, point_id }]
 */
export function newestPerLevel(
  rows: readonly Pick<PointsTable, "level_hash" | "source" | "model" | "date" | "id">[],
): LatestPointsTable[] {
  const newest = new Map<string, LatestPointsTable>();
  for (const r of rows) {
    const key = `${r.level_hash}|${r.source}`;
    const cur = newest.get(key);
    if (!cur || r.date > cur.date || (r.date === cur.date && r.id > cur.point_id))
      newest.set(key, {
        level_hash: r.level_hash,
        source: r.source,
        model: r.model,
        date: r.date,
        point_id: r.id,
      });
  }
  return [...newest.values()];
}
