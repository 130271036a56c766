import { InfermarkError } from "@infermark/core";
import { BUSY_TIMEOUT_MS } from "./dialects/sqlite/connection.js";

/** The database cannot be opened: not an SQLite file, an unreachable or refusing PostgreSQL, a bad URL. */
export class StoreOpenError extends InfermarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_STORE_OPEN", message, options);
  }
}

/**
 * A batch of points was rejected whole; nothing of it was written. `fault` says whose: `batch` (a schema violation, a
 * bad id: the caller's to fix) or `database` (the write failed: a lost connection, a full disk, a closed store; the
 * same batch may go in later).
 */
export class IngestError extends InfermarkError {
  readonly fault: "batch" | "database";
  constructor(message: string, options?: { cause?: unknown; fault?: "batch" | "database" }) {
    super("E_INGEST", message, options);
    this.fault = options?.fault ?? "batch";
  }
}

/** An IngestError for a write that failed in the database (`fault: "database"`); an IngestError as it is. */
export function writeFailed(error: unknown): IngestError {
  if (error instanceof IngestError) return error;
  const { code, message } = error as { code?: unknown; message?: string };
  // SQLite's SQLITE_READONLY (and its extended codes): the file, or the folder its log lives in, is not writable
  const why =
    typeof code === "string" && code.startsWith("SQLITE_READONLY")
      ? `the database is read-only for this user (${message}): give it write access to the file and its folder, or open another database`
      : code === "SQLITE_BUSY"
        ? `${message}: another process held its write lock (one writer at a time) for over ${BUSY_TIMEOUT_MS / 1000} s; try again when it is done, or use PostgreSQL for many writers at once`
        : message;
  return new IngestError(`database write failed, nothing written: ${why}`, {
    fault: "database",
    cause: error,
  });
}

/** A query the store cannot answer (bad filter). */
export class QueryError extends InfermarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_QUERY", message, options);
  }
}
