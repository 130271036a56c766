import { closeSync, openSync, readSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { StoreOpenError } from "../../errors.js";
import type { StoreDatabase } from "../../schema.js";
import type { OpenedDatabase } from "../types.js";
import { sqliteWriter } from "./sqlite-writer.js";

const SQLITE_MAGIC = "SQLite format 3\u0000";

/** Throws unless `path` is absent, empty, or starts with SQLite's file header. */
function checkSqliteFile(path: string): void {
  let size: number;
  try {
    const info = statSync(path);
    if (info.isDirectory()) throw new StoreOpenError(`${path} is a folder, not an SQLite database`);
    size = info.size;
  } catch (error) {
    if (error instanceof StoreOpenError) throw error;
    return; // absent: better-sqlite3 creates it
  }
  if (size === 0) return;
  const header = Buffer.alloc(16);
  const fd = openSync(path, "r");
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString("latin1") !== SQLITE_MAGIC)
    throw new StoreOpenError(
      `${path} is not an SQLite database; give another --db path or remove the file`,
    );
}

/**
 * Opens (creating if absent) an SQLite database file with better-sqlite3, in WAL mode.
 * @example const { db } = openSqlite("infermark.db");
 */
export function openSqlite(path: string): OpenedDatabase {
  checkSqliteFile(path);
  let database: Database.Database;
  try {
    database = new Database(path);
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("busy_timeout = 5000");
    // A larger page cache keeps the point indexes' hot pages in memory at a million points.
    database.pragma("cache_size = -65536");
    database.pragma("temp_store = MEMORY");
  } catch (error) {
    throw new StoreOpenError(`cannot open SQLite database ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });
  return { dialect: "sqlite", db, location: path, writer: sqliteWriter(database) };
}
