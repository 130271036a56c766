export type { DialectName } from "./dialects/types.js";
export { IngestError, QueryError, StoreOpenError } from "./errors.js";
export type {
  DedupeDecision,
  IngestDedupe,
  IngestMeta,
  IngestResult,
  SkippedRow,
} from "./ingest.js";
export { MIGRATIONS, migrateToLatest } from "./migrations/migrations.js";
export { contentHash, pointId } from "./point-row.js";
export type { RunDay } from "./points-of-runs.js";
export type { PointGroup, StoredPoint } from "./query.js";
export type {
  DuplicatesRemoved,
  RemoveDuplicatesOptions,
  RemovedCopy,
} from "./remove-duplicates.js";
export type { StoreDatabase } from "./schema.js";
export {
  DB_ENV,
  DEFAULT_DB_PATH,
  openStore,
  resolveDbUrl,
  type Store,
  type StoreOptions,
  storeLocation,
} from "./store.js";
