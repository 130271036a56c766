import Database from "better-sqlite3";

/**
 * The writer thread's automatic checkpoint, in pages (16,384 x 4 KiB = 64 MiB of log): a backstop for the
 * checkpoint thread, which checkpoints after every commit.
 */
export const WRITER_AUTOCHECKPOINT = 16_384;

/**
 * Opens a better-sqlite3 connection with the store's settings: WAL journal, `synchronous = NORMAL` (see
 * docs/store.md, "Databases", for what that means for durability), a 5 s busy timeout, a 64 MiB page cache.
 * Used for the main connection and for the writer thread's own.
 */
export function openConnection(path: string): Database.Database {
  const database = new Database(path);
  try {
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("busy_timeout = 5000");
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
