import type Database from "better-sqlite3";
import { type BatchWriter, NEWER_LATEST } from "../types.js";

/**
 * A BatchWriter over better-sqlite3 prepared statements (cached per table and column set), run row by row.
 * Called inside a Kysely transaction on the same single connection, so the rows join that transaction.
 */
export function sqliteWriter(database: Database.Database): () => BatchWriter {
  const cache = new Map<string, Database.Statement>();
  const statement = (verb: string, table: string, columns: readonly string[], tail = "") => {
    const key = `${verb}|${table}|${columns.join(",")}`;
    let st = cache.get(key);
    if (!st) {
      st = database.prepare(
        `${verb} INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})${tail}`,
      );
      cache.set(key, st);
    }
    return st;
  };
  const writer: BatchWriter = {
    async insertIgnore(table, rows) {
      if (rows.length === 0) return [];
      const st = statement("INSERT OR IGNORE", table, Object.keys(rows[0]!));
      return rows.map((r) => st.run(r).changes === 1);
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      const st = statement("INSERT", table, Object.keys(rows[0]!));
      for (const r of rows) st.run(r);
    },
    async upsertLatest(rows) {
      if (rows.length === 0) return;
      const st = statement(
        "INSERT",
        "latest_points",
        Object.keys(rows[0]!),
        ` ON CONFLICT (level_hash, source) DO UPDATE SET date = excluded.date, point_id = excluded.point_id WHERE ${NEWER_LATEST}`,
      );
      for (const r of rows) st.run(r);
    },
  };
  return () => writer;
}
