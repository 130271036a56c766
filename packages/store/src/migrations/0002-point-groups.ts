import { type Kysely, sql } from "kysely";

/** The columns of a point group, in key order (also the order `listGroups` sorts by). */
const GROUP_KEY = [
  "model",
  "isl",
  "osl",
  "hardware",
  "framework",
  "precision",
  "spec_method",
  "disaggregated",
  "source",
  "valid",
] as const;

/**
 * Adds `point_groups` (points per group, first and last day; kept at ingest so `listGroups` need not scan
 * points) filled from the points already stored, and drops two point indexes no query reads
 * (`points_level_idx`, `points_run_idx`): each cost index work on every insert.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("point_groups")
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("isl", "integer", (c) => c.notNull())
    .addColumn("osl", "integer", (c) => c.notNull())
    .addColumn("hardware", "text", (c) => c.notNull())
    .addColumn("framework", "text", (c) => c.notNull())
    .addColumn("precision", "text", (c) => c.notNull())
    .addColumn("spec_method", "text", (c) => c.notNull())
    .addColumn("disaggregated", "integer", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("valid", "integer", (c) => c.notNull())
    .addColumn("points", "integer", (c) => c.notNull())
    .addColumn("first_day", "text", (c) => c.notNull())
    .addColumn("last_day", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("point_groups_pk", [...GROUP_KEY])
    .execute();
  const keys = sql.raw(GROUP_KEY.join(", "));
  await sql`insert into point_groups (${keys}, points, first_day, last_day)
    select ${keys}, count(*), min(day), max(day) from points group by ${keys}`.execute(db);
  await db.schema.dropIndex("points_level_idx").ifExists().execute();
  await db.schema.dropIndex("points_run_idx").ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("point_groups").ifExists().execute();
  await db.schema
    .createIndex("points_level_idx")
    .ifNotExists()
    .on("points")
    .columns(["level_hash", "date"])
    .execute();
  await db.schema
    .createIndex("points_run_idx")
    .ifNotExists()
    .on("points")
    .column("run_id")
    .execute();
}
