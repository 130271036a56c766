import { runInstant } from "@infermark/core";
import { type Kysely, sql } from "kysely";
import { rebuildLatest } from "./rebuild-derived.js";

/** Points read per statement. */
const PAGE = 1_000;

/**
 * Writes each point's `date` column as core's `runInstant` of its run date (`YYYY-MM-DDTHH:MM:SS.sssZ`, UTC), then
 * rebuilds `latest_points` from them: the column held the date as written, compared as text, so a date with another
 * offset, a space before its time or a fraction of a second ordered the latest points out of time. The point's JSON,
 * its id and its `day` are kept. Points are read a page at a time, and a page's points of one instant are set in one
 * statement.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  let after = "";
  for (;;) {
    const { rows } = await sql<{ id: string; date: string }>`select id, date
      from points where id > ${after} order by id limit ${sql.lit(PAGE)}`.execute(db);
    const byInstant = new Map<string, string[]>();
    for (const r of rows) {
      const instant = runInstant(r.date);
      if (instant === r.date) continue;
      const ids = byInstant.get(instant);
      if (ids) ids.push(r.id);
      else byInstant.set(instant, [r.id]);
    }
    for (const [instant, ids] of byInstant)
      await sql`update points set date = ${instant}
        where id in (${sql.join(ids.map((id) => sql`${id}`))})`.execute(db);
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  await rebuildLatest(db);
}

/** Nothing to undo: a store of 0006 orders the instants as it ordered the dates as written, only rightly. */
export async function down(_db: Kysely<unknown>): Promise<void> {}
