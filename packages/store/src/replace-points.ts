// No @infermark/core here, not even through errors.ts: the SQLite writer thread loads this module.
import { NEWER_LATEST } from "./dialects/types.js";
import { GROUP_KEY } from "./point-groups.js";

const G = GROUP_KEY.join(", ");

/** Whether `id` is a point id (`pointId`: 32 hex digits), as the SQL below takes them. */
export const isPointId = (id: string): boolean => /^[0-9a-f]{32}$/.test(id);

/** Ids per statement that fills the table of replaced ids: statements of about 40 KB, however many points go. */
const IDS_PER_STATEMENT = 1_000;

/** The temporary table of the ids of the points taken out, for the statements' joins; dropped at their end. */
const REPLACED = "replaced_points";

/**
 * The SQL (the same for SQLite and PostgreSQL) that takes stored points out ahead of a batch that supersedes
 * them (a richer copy of the same measurement): their request records, power samples and server metrics, the
 * points, and the counts they held in `point_groups` and `latest_points`, both recomputed from the points that
 * remain (the batch's own points are added on top as usual), and the runs and configurations that are left
 * without points (the batch adds those it needs back). Run inside the batch's transaction, before its
 * points are written. The ids go into a temporary table, IDS_PER_STATEMENT at a time, which the other statements
 * join, so no statement grows with the number of points (SQLite refuses a statement over its SQL length limit,
 * and PostgreSQL compares each row with every element of a long `NOT IN` list); the ids are written as literals:
 * anything but point ids is refused (`ingest` says which, as an IngestError, before a transaction begins).
 * @example replaceStatements(["3f1c…"]) // ["CREATE TEMP TABLE replaced_points ...", "INSERT INTO replaced_points (id) VALUES ('3f1c…') ...", ...]
 */
export function replaceStatements(ids: readonly string[]): string[] {
  if (ids.length === 0) return [];
  if (!ids.every(isPointId)) throw new Error("replaces: only point ids go into the SQL");
  const fill: string[] = [];
  for (let start = 0; start < ids.length; start += IDS_PER_STATEMENT) {
    const values = ids.slice(start, start + IDS_PER_STATEMENT).map((id) => `('${id}')`);
    fill.push(`INSERT INTO ${REPLACED} (id) VALUES ${values.join(", ")} ON CONFLICT DO NOTHING`);
  }
  const replaced = `FROM points WHERE id IN (SELECT id FROM ${REPLACED})`;
  // NOT EXISTS, not NOT IN: PostgreSQL plans it as an anti-join whatever the number of ids (a NOT IN subquery
  // too large for work_mem is scanned once per row)
  const remaining = `NOT EXISTS (SELECT 1 FROM ${REPLACED} r WHERE r.id = points.id)`;
  return [
    `CREATE TEMP TABLE ${REPLACED} (id text PRIMARY KEY)`,
    ...fill,
    `DELETE FROM latest_points WHERE point_id IN (SELECT id FROM ${REPLACED})`,
    `DELETE FROM point_groups WHERE (${G}) IN (SELECT ${G} ${replaced})`,
    `INSERT INTO point_groups (${G}, points, first_day, last_day)
     SELECT ${G}, count(*), min(day), max(day) FROM points
     WHERE (${G}) IN (SELECT ${G} ${replaced}) AND ${remaining} GROUP BY ${G}`,
    `INSERT INTO latest_points (level_hash, source, model, date, point_id)
     SELECT level_hash, source, model, date, id FROM (
       SELECT level_hash, source, model, date, id,
         row_number() OVER (PARTITION BY level_hash, source ORDER BY date DESC, id DESC) AS rn
       FROM points WHERE (level_hash, source) IN (SELECT level_hash, source ${replaced}) AND ${remaining}
     ) ranked WHERE rn = 1
     ON CONFLICT (level_hash, source) DO UPDATE SET date = excluded.date, point_id = excluded.point_id
     WHERE ${NEWER_LATEST}`,
    ...["request_records", "power_samples", "server_metrics"].map(
      (table) => `DELETE FROM ${table} WHERE point_id IN (SELECT id FROM ${REPLACED})`,
    ),
    // No index on points.run_id or configuration_id (inserts would pay for it): one scan each, of the
    // points that share a run or configuration with a replaced point, uncorrelated so it runs once.
    ...(
      [
        ["runs", "run_id"],
        ["configurations", "configuration_id"],
      ] as const
    ).map(
      ([table, column]) => `DELETE FROM ${table} WHERE id IN (SELECT ${column} ${replaced})
       AND id NOT IN (SELECT ${column} FROM points WHERE ${remaining}
         AND ${column} IN (SELECT ${column} ${replaced}))`,
    ),
    `DELETE ${replaced}`,
    `DROP TABLE ${REPLACED}`,
  ];
}
