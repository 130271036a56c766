import type { PointResult } from "@infermark/core";
import { type Kysely, sql } from "kysely";
import { softwareColumn } from "../point-row.js";

/** Points read per statement. */
const PAGE = 1_000;

/**
 * Adds `software` to `points`: the serving software's release (core's `softwareKey` of `softwareOf`: the engine's
 * version, else the image's tag), which the `version` filter matches in SQL. Existing points are read a page at a
 * time; only those whose JSON records a `frameworkVersion` are parsed (the others have only their `image` column to
 * go by), and a page's points of one release are set in one statement.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("points").addColumn("software", "text").execute();
  let after = "";
  for (;;) {
    const { rows } = await sql<{
      id: string;
      image: string | null;
      json: string | null;
    }>`select id, image,
      case when json like ${'%"frameworkVersion"%'} then json end as json
      from points where id > ${after} order by id limit ${sql.lit(PAGE)}`.execute(db);
    const byRelease = new Map<string, string[]>();
    for (const r of rows) {
      const point =
        r.json !== null
          ? (JSON.parse(r.json) as PointResult)
          : ({ config: { image: r.image ?? undefined } } as PointResult);
      const software = softwareColumn(point);
      if (software === null) continue;
      const ids = byRelease.get(software);
      if (ids) ids.push(r.id);
      else byRelease.set(software, [r.id]);
    }
    for (const [software, ids] of byRelease)
      await sql`update points set software = ${software}
        where id in (${sql.join(ids.map((id) => sql`${id}`))})`.execute(db);
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
}

/** Back to 0005: no software column. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("points").dropColumn("software").execute();
}
