import { sql, type Transaction } from "kysely";
import { GROUP_KEY, MERGE_GROUPS } from "../point-groups.js";
import type { StoreDatabase } from "../schema.js";
import { type BatchWriter, KEYS, NEWER_LATEST, type Row } from "./types.js";

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * `rows` sorted by `columns`. Ingests that only add points write side by side (a shared lock), and a row that two of
 * them insert or update (the same point, a configuration both bring, a load level's latest point, a group's count)
 * is locked by the first until it commits; written in key order, the rows two transactions share are locked in the
 * same order by both, so neither can hold one that the other holds another before (PostgreSQL's "deadlock
 * detected", which failed one of two ingests of the same points in different orders, or of new points of the same
 * levels and groups). Plain comparison: the order only has to be the same in every process.
 */
function inKeyOrder<T extends object>(rows: readonly T[], columns: readonly string[]): T[] {
  const at = (row: T, column: string) => (row as Record<string, string | number>)[column]!;
  return [...rows].sort((a, b) => {
    for (const column of columns) {
      const x = at(a, column);
      const y = at(b, column);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

/**
 * A BatchWriter made of multi-row Kysely statements sized to a parameter limit (PostgreSQL allows 65,535). Rows that
 * another transaction may write too go in key order (`inKeyOrder`).
 * @example const writer = kyselyWriter(trx, 60_000);
 */
export function kyselyWriter(trx: Transaction<StoreDatabase>, maxParameters: number): BatchWriter {
  const per = (rows: readonly Row[]) =>
    Math.max(1, Math.floor(maxParameters / Object.keys(rows[0]!).length));
  return {
    async insertIgnore(table, rows) {
      if (rows.length === 0) return [];
      const key = KEYS[table]?.[0] ?? "id";
      const inserted = new Set<unknown>();
      for (const part of chunks(inKeyOrder(rows, KEYS[table] ?? ["id"]), per(rows))) {
        const returned = await trx
          .insertInto(table)
          .values(part as never)
          .onConflict((oc) => oc.columns((KEYS[table] ?? ["id"]) as never).doNothing())
          .returning(sql.ref(key).as("k") as never)
          .execute();
        for (const r of returned as unknown as { k: unknown }[]) inserted.add(r.k);
      }
      return rows.map((r) => inserted.has(r[key]));
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      for (const part of chunks(rows, per(rows)))
        await trx
          .insertInto(table)
          .values(part as never)
          .execute();
    },
    async upsertLatest(rows) {
      if (rows.length === 0) return;
      const ordered = inKeyOrder(rows, ["level_hash", "source"]);
      for (const part of chunks(ordered, Math.floor(maxParameters / 5))) {
        await trx
          .insertInto("latest_points")
          .values(part)
          .onConflict((oc) =>
            oc
              .columns(["level_hash", "source"])
              .doUpdateSet({
                date: (eb) => eb.ref("excluded.date"),
                point_id: (eb) => eb.ref("excluded.point_id"),
              })
              .where(sql<boolean>`${sql.raw(NEWER_LATEST)}`),
          )
          .execute();
      }
    },
    async upsertGroups(rows) {
      if (rows.length === 0) return;
      for (const part of chunks(inKeyOrder(rows, GROUP_KEY), Math.floor(maxParameters / 13))) {
        await trx
          .insertInto("point_groups")
          .values(part)
          .onConflict((oc) =>
            oc.columns([...GROUP_KEY]).doUpdateSet({
              points: sql<number>`${sql.raw(MERGE_GROUPS.points)}`,
              first_day: sql<string>`${sql.raw(MERGE_GROUPS.first_day)}`,
              last_day: sql<string>`${sql.raw(MERGE_GROUPS.last_day)}`,
            }),
          )
          .execute();
      }
    },
  };
}
