import { type Kysely, sql } from "kysely";
import { GROUP_KEY } from "./0003-workload-kind.js";

/**
 * After a migration re-keyed or replaced points: removes the configurations no point uses any more and rebuilds the
 * latest point of each level (newest date, then highest id) and the group counts from `points`.
 */
export async function rebuildDerived(db: Kysely<unknown>): Promise<void> {
  await sql`delete from configurations
    where id not in (select configuration_id from points)`.execute(db);
  await rebuildLatest(db);
  const keys = sql.raw(GROUP_KEY.join(", "));
  await sql`delete from point_groups`.execute(db);
  await sql`insert into point_groups (${keys}, points, first_day, last_day)
    select ${keys}, count(*), min(day), max(day) from points group by ${keys}`.execute(db);
}

/** Rebuilds the latest point of each level and source (newest date, then highest id) from `points`. */
export async function rebuildLatest(db: Kysely<unknown>): Promise<void> {
  await sql`delete from latest_points`.execute(db);
  await sql`insert into latest_points (level_hash, source, model, date, point_id)
    select level_hash, source, model, date, id from (
      select level_hash, source, model, date, id,
        row_number() over (partition by level_hash, source order by date desc, id desc) as rn
      from points
    ) ranked where rn = 1`.execute(db);
}

/** Inserts one row (column name to value) into `table` unless a row with its `id` is there. */
export async function insertIgnore(
  db: Kysely<unknown>,
  table: "configurations" | "points",
  row: Record<string, unknown>,
): Promise<void> {
  const columns = sql.raw(Object.keys(row).join(", "));
  const values = sql.join(Object.values(row).map((v) => sql`${v}`));
  await sql`insert into ${sql.table(table)} (${columns}) values (${values})
    on conflict (id) do nothing`.execute(db);
}
