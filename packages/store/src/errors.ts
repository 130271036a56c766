import { InfermarkError } from "@infermark/core";

/** The database cannot be opened: not an SQLite file, an unreachable or refusing PostgreSQL, a bad URL. */
export class StoreOpenError extends InfermarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_STORE_OPEN", message, options);
  }
}

/** A batch of points was rejected whole (schema violation, database error); nothing of it was written. */
export class IngestError extends InfermarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_INGEST", message, options);
  }
}

/** A query the store cannot answer (bad filter). */
export class QueryError extends InfermarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_QUERY", message, options);
  }
}
