import { closeSync, openSync, readSync, statSync } from "node:fs";
import type Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { StoreOpenError } from "../../errors.js";
import type { StoreDatabase } from "../../schema.js";
import type { IngestSink, OpenedDatabase, RowChunk } from "../types.js";
import { openConnection } from "./connection.js";
import { IngestThread } from "./ingest-thread.js";
import { SqliteIngest } from "./sqlite-ingest.js";

const SQLITE_MAGIC = "SQLite format 3\u0000";

/**
 * Throws unless `path` starts with SQLite's file header, is empty, or is absent (absent and `create`
 * false: throws too, naming the path).
 */
function checkSqliteFile(path: string, create: boolean): void {
  let size: number;
  try {
    const info = statSync(path);
    if (info.isDirectory()) throw new StoreOpenError(`${path} is a folder, not an SQLite database`);
    size = info.size;
  } catch (error) {
    if (error instanceof StoreOpenError) throw error;
    if (create) return; // absent: better-sqlite3 creates it
    throw new StoreOpenError(
      `no database at ${path}: store points first (infermark ingest, infermark import inferencex, npm start) or name one with --db`,
      { cause: error },
    );
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

/** Ingests of at least this many points start the writer thread (smaller ones go on the main connection). */
export const THREAD_MIN_POINTS = 2_000;

/** How the SQLite store writes ingests. */
export interface SqliteOptions {
  /**
   * Write ingests of THREAD_MIN_POINTS points or more (and every ingest after one of those) on a writer
   * thread with its own connection, overlapping the SQL with the caller building the next rows, and
   * checkpoint on a thread of their own (true); or write every ingest on the main connection (false).
   * @default true
   */
  writerThread?: boolean;
  /**
   * Create the file when it is absent (false: refuse, for commands that only read).
   * @default true
   */
  create?: boolean;
}

/**
 * Opens (creating if absent, unless `create` is false) an SQLite database file with better-sqlite3, in WAL mode.
 * @example const { db } = openSqlite("infermark.db");
 */
export function openSqlite(path: string, options: SqliteOptions = {}): OpenedDatabase {
  checkSqliteFile(path, options.create ?? true);
  let database: Database.Database;
  try {
    database = openConnection(path);
  } catch (error) {
    throw new StoreOpenError(`cannot open SQLite database ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });
  const ingest = new SqliteIngest(database);
  /** On the main connection: the chunks are written at commit, inside a Kysely transaction. */
  const inline = (release: () => void, replaces: readonly string[]): IngestSink => {
    const chunks: RowChunk[] = [];
    return {
      write: (chunk) => {
        chunks.push(chunk);
      },
      abort: async () => {
        chunks.length = 0;
        release();
      },
      commit: async (log, total) => {
        try {
          return await db.transaction().execute(async () => {
            ingest.start(replaces);
            for (const chunk of chunks) ingest.write(chunk);
            return ingest.finish(log, total);
          });
        } finally {
          release();
        }
      },
    };
  };
  const thread = new IngestThread(path);
  const useThread = options.writerThread ?? true;
  return {
    dialect: "sqlite",
    db,
    location: path,
    // Large ingests go to the writer thread (started on the first one); small ones are not worth a
    // thread's start. Either way one ingest at a time.
    begin: async (points, replaces) =>
      useThread && (thread.started || points >= THREAD_MIN_POINTS)
        ? thread.begin(replaces)
        : inline(await thread.takeTurn(), replaces),
    close: () => thread.close(),
  };
}
