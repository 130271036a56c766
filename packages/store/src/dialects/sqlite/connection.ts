import Database from "better-sqlite3";

/**
 * Page size of new database files (SQLite's default is 4 KiB; files made before keep theirs). Larger pages
 * mean fewer log frames, fewer writes and fewer B-tree pages per ingested point: less CPU per point in the
 * ingest benchmark, and the "latest points of one model" query stays far below its target (see
 * docs/performance.md, "Ingest, fifth pass").
 */
export const PAGE_SIZE = 16_384;

/**
 * The writer thread's automatic checkpoint, in bytes of log (64 MiB: 4,096 pages of 16 KiB): a backstop for
 * the checkpoint thread, which checkpoints after every commit. It also restarts the log: a log restarts only
 * when a write transaction begins after a checkpoint has copied all of it, which a writer busy with one
 * ingest after another leaves no time for, so without it the log would grow for as long as ingests follow
 * each other.
 */
export const WRITER_AUTOCHECKPOINT_BYTES = 64 * 1024 * 1024;

/** Whether a Database was made in this process (so better-sqlite3's addon is loaded and has read its settings). */
let addonLoaded = false;

/**
 * A better-sqlite3 Database, the first of the process made with SQLite's URI file names turned on
 * (`SQLITE_USE_URI=1`, which better-sqlite3 reads once, when the first Database loads its addon; URI file names are
 * those that start with `file:`, so plain paths read as before): `openReadOnly` needs `?immutable=1` for a store
 * whose folder it cannot write. The variable is set for that moment only (child processes do not inherit it),
 * and one the user set is left as it is.
 */
export function newDatabase(filename: string, options?: Database.Options): Database.Database {
  if (addonLoaded || process.env.SQLITE_USE_URI !== undefined)
    return new Database(filename, options);
  process.env.SQLITE_USE_URI = "1";
  try {
    return new Database(filename, options);
  } finally {
    addonLoaded = true;
    delete process.env.SQLITE_USE_URI;
  }
}

/**
 * A store's path as SQLite is to open it: the file it names, never a URI. With URI file names on (`newDatabase`),
 * SQLite reads a name that starts with `file:` as a URI (`file:x.db` would open `x.db`, a `?` would start its
 * query), so such a relative path gets `./` before it: `file:x.db` stays the file of that name, as it was before.
 * @example plainFileName("file:x.db") // "./file:x.db"
 */
export function plainFileName(path: string): string {
  return path.startsWith("file:") ? `./${path}` : path;
}

/**
 * How long a connection waits for another's write lock (SQLite's busy timeout): 60 s. SQLite has one writer at a
 * time, and another process's transaction may hold the lock for a while (a large ingest, a level's request records,
 * `db dedupe`): with 5 s an ingest of a second CI runner failed with `database is locked` behind one of those.
 */
export const BUSY_TIMEOUT_MS = 60_000;

/**
 * Opens a better-sqlite3 connection with the store's settings: WAL journal, `synchronous = NORMAL` (see
 * docs/store.md, "Databases", for what that means for durability), 16 KiB pages in a new file, a busy timeout of
 * BUSY_TIMEOUT_MS, a 64 MiB page cache.
 * Used for the main connection and for the writer thread's own.
 */
export function openConnection(path: string): Database.Database {
  const database = newDatabase(plainFileName(path));
  try {
    // Takes effect only on a file with no pages yet, so before `journal_mode = WAL` writes the header.
    database.pragma(`page_size = ${PAGE_SIZE}`);
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // A larger page cache keeps the point indexes' hot pages in memory at a million points.
    database.pragma("cache_size = -65536");
    database.pragma("temp_store = MEMORY");
    // After a checkpoint has emptied it, a log grown larger than this is truncated back to it.
    database.pragma("journal_size_limit = 67108864");
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}
