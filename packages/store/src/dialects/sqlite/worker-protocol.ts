import type { IngestLogStub, RowChunk } from "../types.js";

/** Messages to the SQLite writer thread, handled in order. */
export type ToWorker =
  | { type: "begin"; replaces: readonly string[] }
  | { type: "chunk"; chunk: RowChunk }
  | { type: "commit"; log: IngestLogStub; total: number }
  | { type: "abort" }
  | { type: "close" };

/** Replies of the writer thread: one per `commit` or `abort`, and one to `close`. */
export type FromWorker =
  | { type: "done"; inserted: number }
  | { type: "failed"; message: string }
  | { type: "closed" };
