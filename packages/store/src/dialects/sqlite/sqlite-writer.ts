import type Database from "better-sqlite3";
import { GROUP_KEY, MERGE_GROUPS } from "../../point-groups.js";
import { type BatchWriter, KEYS, NEWER_LATEST, type Row } from "../types.js";

/** Rows per multi-row statement: few enough to stay far below SQLite's 32,766 parameters. */
const ROWS_PER_STATEMENT = 50;

/**
 * A BatchWriter over better-sqlite3 prepared statements: multi-row `INSERT ... VALUES (...), (...)` with
 * positional parameters, cached per table, column set, row count and tail. Called inside a Kysely
 * transaction on the same single connection, so the rows join that transaction.
 */
export function sqliteWriter(database: Database.Database): () => BatchWriter {
  const cache = new Map<string, Database.Statement>();
  const statement = (head: string, columns: readonly string[], rows: number, tail = "") => {
    const key = `${head}|${columns.join(",")}|${rows}|${tail}`;
    let st = cache.get(key);
    if (!st) {
      const tuple = `(${columns.map(() => "?").join(", ")})`;
      st = database.prepare(
        `${head} (${columns.join(", ")}) VALUES ${Array(rows).fill(tuple).join(", ")}${tail}`,
      );
      cache.set(key, st);
    }
    return st;
  };
  /** Runs `head (columns) VALUES ... tail` over all rows, a statement per ROWS_PER_STATEMENT rows. */
  const each = (
    head: string,
    rows: readonly Row[],
    tail: string,
    onStatement: (st: Database.Statement, params: unknown[]) => void,
  ) => {
    const columns = Object.keys(rows[0]!);
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const end = Math.min(rows.length, start + ROWS_PER_STATEMENT);
      const params: unknown[] = [];
      for (let i = start; i < end; i++) {
        const r = rows[i]!;
        for (const c of columns) params.push(r[c]);
      }
      onStatement(statement(head, columns, end - start, tail), params);
    }
  };
  const writer: BatchWriter = {
    async insertIgnore(table, rows) {
      if (rows.length === 0) return [];
      const key = KEYS[table]?.[0] ?? "id";
      const inserted = new Set<unknown>();
      each(`INSERT OR IGNORE INTO ${table}`, rows, ` RETURNING ${key}`, (st, params) => {
        for (const k of st.pluck().all(params)) inserted.add(k);
      });
      return rows.map((r) => inserted.has(r[key]));
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      each(`INSERT INTO ${table}`, rows, "", (st, params) => st.run(params));
    },
    async upsertLatest(rows) {
      if (rows.length === 0) return;
      each(
        "INSERT INTO latest_points",
        rows as unknown as Row[],
        ` ON CONFLICT (level_hash, source) DO UPDATE SET date = excluded.date, point_id = excluded.point_id WHERE ${NEWER_LATEST}`,
        (st, params) => st.run(params),
      );
    },
    async upsertGroups(rows) {
      if (rows.length === 0) return;
      each(
        "INSERT INTO point_groups",
        rows as unknown as Row[],
        ` ON CONFLICT (${GROUP_KEY.join(", ")}) DO UPDATE SET ${Object.entries(MERGE_GROUPS)
          .map(([column, value]) => `${column} = ${value}`)
          .join(", ")}`,
        (st, params) => st.run(params),
      );
    },
  };
  return () => writer;
}
