import type { IngestLogStub, Read, ReadRows, RowChunk } from "../types.js";

/** Messages to the SQLite writer thread, handled in order. */
export type ToWorker =
  | { type: "begin"; reads: readonly Read[] }
  | { type: "read"; reads: readonly Read[] }
  | { type: "start"; replaces: readonly string[] }
  | { type: "chunk"; chunk: RowChunk }
  | { type: "commit"; log: IngestLogStub; total: number }
  | { type: "abort" }
  | { type: "close" };

/**
 * Replies of the writer thread: one per `begin` that has reads and per `read` (`found`, or `failed`), one per
 * `commit` or `abort`, and one to `close`.
 */
export type FromWorker =
  | { type: "found"; found: ReadRows[] }
  | { type: "done"; inserted: number }
  /** `code`: SQLite's error code (SQLITE_BUSY, SQLITE_READONLY...), which `writeFailed` words. */
  | { type: "failed"; message: string; code?: string }
  | { type: "closed" };
