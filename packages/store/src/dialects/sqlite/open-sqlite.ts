import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import type Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { StoreOpenError } from "../../errors.js";
import type { StoreDatabase } from "../../schema.js";
import type { IngestSink, OpenedDatabase, Read, ReadRows } from "../types.js";
import { openConnection } from "./connection.js";
import { IngestThread } from "./ingest-thread.js";
import { canWrite, isReadOnlyError, openReadOnly } from "./open-read-only.js";
import { SqliteIngest } from "./sqlite-ingest.js";
import { runReads, SqliteTransaction } from "./sqlite-transaction.js";

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

/**
 * Takes Kysely's one connection until the returned function is called, so that no query of this store runs
 * inside an ingest's transaction on it.
 */
function holdConnection(db: Kysely<StoreDatabase>): Promise<() => void> {
  return new Promise((held, failed) => {
    db.connection()
      .execute(
        () =>
          new Promise<void>((release) => {
            held(release);
          }),
      )
      .catch(failed);
  });
}

/** How often the main connection tries again to begin a write transaction while another holds the lock. */
const RETRY_MS = 5;

/**
 * `BEGIN IMMEDIATE` (the file's write lock) on the main connection without blocking the event loop: under the
 * busy timeout better-sqlite3 would wait inside the call, and a transaction of this same process that holds the
 * lock (another store on the file, between its begin and its commit) could not go on meanwhile. So it tries
 * without waiting, and again on a timer, for as long as the busy timeout.
 */
async function beginImmediate(database: Database.Database): Promise<void> {
  const timeout = database.pragma("busy_timeout", { simple: true }) as number;
  const deadline = Date.now() + timeout;
  for (;;) {
    database.pragma("busy_timeout = 0");
    try {
      database.exec("BEGIN IMMEDIATE");
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() >= deadline)
        throw error;
    } finally {
      database.pragma(`busy_timeout = ${timeout}`);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

/**
 * `begin` on a store opened read-only: a begin that only reads (`removeDuplicates`' dry run, which writes nothing)
 * gets its reads, and later ones (`read`), in one read transaction on one connection, and a sink whose commit is
 * refused; any other is refused at once. Refused as SQLite refuses a write to a read-only file (SQLITE_READONLY,
 * which `writeFailed` words), with `why`.
 */
function readingOnly(
  database: Database.Database,
  why: string,
  points: number,
  reads: readonly Read[],
): IngestSink {
  const refused = () => Object.assign(new Error(why), { code: "SQLITE_READONLY" });
  if (points > 0 || reads.length === 0) throw refused();
  // the connection as it is now: an immutable store's is opened again when another process writes the file
  // (`refreshingSnapshot`), and the transaction and its temporary tables belong to this one
  const connection = database.prepare("select 1").database;
  const end = () => {
    if (connection.inTransaction) connection.exec("ROLLBACK");
  };
  connection.exec("BEGIN");
  let found: ReadRows[];
  try {
    found = runReads(connection, reads);
  } catch (error) {
    end();
    throw error;
  }
  return {
    found,
    read: async (more) => runReads(connection, more),
    start: () => {},
    write: () => {},
    commit: async () => {
      end();
      throw refused();
    },
    abort: async () => end(),
  };
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
 * A file that it or its folder makes read-only for this user is opened for reading (`openReadOnly`): queries
 * work, and every write is refused with the read-only error (`readOnly` says why).
 * @example const { db } = openSqlite("infermark.db");
 */
export function openSqlite(path: string, options: SqliteOptions = {}): OpenedDatabase {
  checkSqliteFile(path, options.create ?? true);
  let database: Database.Database;
  let readOnly: string | undefined;
  try {
    // a file this user cannot write is only read, and opened so that it leaves no file its owner cannot write
    if (existsSync(path) && !canWrite(path))
      ({ database, why: readOnly } = openReadOnly(path, new Error("the file is not writable")));
    else database = openConnection(path);
  } catch (error) {
    if (error instanceof StoreOpenError) throw error;
    // a file or folder this user cannot write: read it (the commands that only read work), refuse writes
    if (!isReadOnlyError(error) || !existsSync(path))
      throw new StoreOpenError(`cannot open SQLite database ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    ({ database, why: readOnly } = openReadOnly(path, error));
  }
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });
  const ingest = new SqliteIngest(database);
  /** On the main connection, held from begin to commit: each chunk is written as it comes. */
  const inline = async (passTurn: () => void, reads: readonly Read[]): Promise<IngestSink> => {
    let releaseConnection: () => void = () => {};
    const end = () => {
      releaseConnection();
      passTurn();
    };
    const transaction = new SqliteTransaction(database, ingest);
    let found: ReadRows[];
    try {
      releaseConnection = await holdConnection(db);
      await beginImmediate(database);
      found = transaction.read(reads);
    } catch (error) {
      end();
      throw error;
    }
    return {
      found,
      read: async (more) => transaction.read(more),
      start: (replaces) => transaction.start(replaces),
      write: (chunk) => transaction.write(chunk),
      abort: async () => {
        transaction.rollback();
        end();
      },
      commit: async (log, total) => {
        try {
          return transaction.commit(log, total);
        } finally {
          end();
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
    ...(readOnly !== undefined ? { readOnly } : {}),
    // Large ingests go to the writer thread (started on the first one); small ones are not worth a
    // thread's start. Either way one ingest at a time. Once an ingest went to the thread, every later one
    // does, so what one reads has the ingest before it committed (the thread runs them in order); which way
    // is decided with the turn in hand, once the ingest before has started the thread, if it did.
    begin: async (points, reads = []) => {
      if (readOnly !== undefined) return readingOnly(database, readOnly, points, reads);
      const end = await thread.takeTurn();
      return useThread && (thread.started || points >= THREAD_MIN_POINTS)
        ? thread.begin(end, reads)
        : inline(end, reads);
    },
    migrating: async (work) => {
      await beginImmediate(database);
      try {
        const done = await work();
        database.exec("COMMIT");
        return done;
      } catch (error) {
        if (database.inTransaction) database.exec("ROLLBACK");
        throw error;
      }
    },
    close: () => thread.close(),
  };
}
