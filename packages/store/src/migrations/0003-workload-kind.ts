import { type PointResult, workloadKind } from "@infermark/core";
import { type Kysely, sql } from "kysely";
import * as pointGroups from "./0002-point-groups.js";

/** The columns of a point group at this version, in key order (also the order `listGroups` sorts by). */
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
] as const;

export const INTEGER_KEYS: ReadonlySet<string> = new Set(["isl", "osl", "disaggregated", "valid"]);

/** Points read and rewritten per statement while the new column is filled. */
const PAGE = 1_000;

/**
 * Adds the workload kind (core's `workloadKind`: random, sharegpt, jsonl, session x4 [think N ms]) to `points`
 * and to the key of `point_groups`. Analysis has grouped by it since sessions were added; the group counts did
 * not, so `listGroups` put a 1024/1024 session run and a 1024/1024 random run in one group. Existing points are
 * `random` unless their JSON says otherwise: only points whose JSON lacks `"kind":"random"` are read and parsed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("points")
    .addColumn("workload", "text", (c) => c.notNull().defaultTo("random"))
    .execute();
  let after = "";
  for (;;) {
    const { rows } = await sql<{ id: string; json: string }>`select id, json from points
      where json not like ${'%"kind":"random"%'} and id > ${after} order by id limit ${sql.lit(PAGE)}`.execute(
      db,
    );
    for (const r of rows) {
      const point = JSON.parse(r.json) as PointResult;
      const kind = workloadKind(point.config.workload);
      if (kind !== "random")
        await sql`update points set workload = ${kind} where id = ${r.id}`.execute(db);
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  await db.schema.dropTable("point_groups").execute();
  let groups = db.schema.createTable("point_groups");
  for (const k of GROUP_KEY)
    groups = groups.addColumn(k, INTEGER_KEYS.has(k) ? "integer" : "text", (c) => c.notNull());
  await groups
    .addColumn("points", "integer", (c) => c.notNull())
    .addColumn("first_day", "text", (c) => c.notNull())
    .addColumn("last_day", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("point_groups_pk", [...GROUP_KEY] as never)
    .execute();
  const keys = sql.raw(GROUP_KEY.join(", "));
  await sql`insert into point_groups (${keys}, points, first_day, last_day)
    select ${keys}, count(*), min(day), max(day) from points group by ${keys}`.execute(db);
}

/** Back to 0002: the group counts without the workload kind (as 0002 made them), no workload column on points. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("point_groups").execute();
  await pointGroups.up(db);
  await db.schema.alterTable("points").dropColumn("workload").execute();
}
