import type { Kysely, Transaction } from "kysely";
import type { LatestPointsTable, PointGroupsTable, StoreDatabase } from "../schema.js";

/** The SQL dialects the store speaks. */
export type DialectName = "sqlite" | "postgres";

/** A table's row, loosely typed for bulk writes. */
export type Row = Record<string, string | number | null>;

/**
 * Bulk writes inside one transaction. Each dialect writes the way it is fastest: SQLite with cached
 * multi-row prepared statements and positional parameters, PostgreSQL with multi-row statements.
 */
export interface BatchWriter {
  /** INSERT, skipping rows whose key exists; returns, per row, whether it was inserted. */
  insertIgnore(table: keyof StoreDatabase, rows: readonly Row[]): Promise<boolean[]>;
  /** Plain INSERT (rows known to be new). */
  insert(table: keyof StoreDatabase, rows: readonly Row[]): Promise<void>;
  /** Keeps each (level, source) at its newest point: by date, then by id. */
  upsertLatest(rows: readonly LatestPointsTable[]): Promise<void>;
  /** Adds a batch's group counts to `point_groups` (one row per group in `rows`). */
  upsertGroups(rows: readonly PointGroupsTable[]): Promise<void>;
}

/** A database opened by a dialect plug-in, before migrations. */
export interface OpenedDatabase {
  dialect: DialectName;
  db: Kysely<StoreDatabase>;
  /** Where the data lives, for messages (file path, or the URL without its password). */
  location: string;
  /** The bulk writer to use inside a transaction of `db`. */
  writer(trx: Transaction<StoreDatabase>): BatchWriter;
}

/** The ON CONFLICT condition that keeps the newer latest point (shared by both dialects). */
export const NEWER_LATEST =
  "excluded.date > latest_points.date or (excluded.date = latest_points.date and excluded.point_id > latest_points.point_id)";

/** Primary-key columns of each table that `insertIgnore` deduplicates on. */
export const KEYS: Partial<Record<keyof StoreDatabase, string[]>> = {
  runs: ["id"],
  configurations: ["id"],
  points: ["id"],
};
