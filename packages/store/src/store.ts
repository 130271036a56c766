import type { PointFilter, PointResult } from "@infermark/core";
import { type Kysely, sql } from "kysely";
import {
  openPostgres,
  type PostgresTimeouts,
  redactUrl,
} from "./dialects/postgres/open-postgres.js";
import { openSqlite } from "./dialects/sqlite/open-sqlite.js";
import type { DialectName, OpenedDatabase } from "./dialects/types.js";
import { StoreOpenError } from "./errors.js";
import { type IngestMeta, type IngestResult, ingestPoints, logRejection } from "./ingest.js";
import { checkMigrated, migrateToLatest, refuseForeignSqlite } from "./migrations/migrations.js";
import { RowCache } from "./point-row.js";
import {
  getPoint,
  getRequestRecords,
  listDates,
  listGroups,
  type PointGroup,
  queryPoints,
  type StoredPoint,
} from "./query.js";
import {
  type DuplicatesRemoved,
  type RemoveDuplicatesOptions,
  type RemovedCopy,
  removeDuplicates,
} from "./remove-duplicates.js";
import type { StoreDatabase } from "./schema.js";

/** The SQLite file used when neither a URL nor INFERMARK_DB is given. */
export const DEFAULT_DB_PATH = "infermark.db";
/** The environment variable that names the database when no URL is given. */
export const DB_ENV = "INFERMARK_DB";

/** The results store: one database of points (SQLite file or PostgreSQL), migrated to the latest schema. */
export interface Store {
  readonly dialect: DialectName;
  /** File path or redacted URL. */
  readonly location: string;
  /**
   * Writes a batch of points (one file's worth) in one transaction; a bad point rejects the whole batch. With
   * `meta.dedupe`, the stored copies of its measurements are weighed inside that transaction.
   */
  ingest(
    points: readonly PointResult[] | readonly unknown[],
    meta?: IngestMeta,
  ): Promise<IngestResult>;
  /** Records that a file was rejected whole (ingest log), without writing points. */
  recordRejection(meta: IngestMeta, reason: string): Promise<void>;
  queryPoints(filter?: PointFilter): Promise<StoredPoint[]>;
  listGroups(filter?: PointFilter): Promise<PointGroup[]>;
  listDates(filter?: PointFilter): Promise<string[]>;
  getPoint(id: string): Promise<StoredPoint | undefined>;
  /** The request records stored with a point (`infermark ingest` stores a level's `requests-*.jsonl`). */
  getRequestRecords(pointId: string): Promise<unknown[]>;
  /**
   * Takes out stored points that `find` names as copies of another stored point of the same measurement (given
   * the linked points of one measurement: they share level, source, date and run link; called once per such
   * measurement), in one transaction; `dryRun` only counts.
   */
  removeDuplicates(
    find: (candidates: readonly StoredPoint[]) => readonly RemovedCopy[],
    options?: RemoveDuplicatesOptions,
  ): Promise<DuplicatesRemoved>;
  /** The Kysely instance, for tools that need raw access (benchmarks, migrations checks). */
  readonly db: Kysely<StoreDatabase>;
  close(): Promise<void>;
}

/** Options of `openStore`. */
export interface StoreOptions {
  /**
   * SQLite: write ingests on a writer thread with its own connection, overlapping the SQL with building
   * the rows (false: on the main connection, one thread).
   * @default true
   */
  writerThread?: boolean;
  /**
   * SQLite: create the database file when it is absent. Commands that only read pass false, so a
   * mistyped path is an error rather than a new empty store. PostgreSQL: no effect.
   * @default true
   */
  create?: boolean;
  /**
   * PostgreSQL: characters of request-record JSON one ingest holds before it writes them (and what came with them)
   * inside its transaction, which bounds an ingest's memory. SQLite: no effect (its writer thread takes each chunk).
   * @default 67108864 (64 MiB)
   */
  recordBufferChars?: number;
  /**
   * SQLite: how long the main connection waits for another connection's lock once the store is open and migrated,
   * ms; 0 answers "database is locked" (SQLITE_BUSY) at once, for a caller that waits on a timer instead of inside
   * the synchronous call (`infermark ui`). PostgreSQL: no effect.
   * @default 60000 (BUSY_TIMEOUT_MS)
   */
  busyTimeoutMs?: number;
  /**
   * PostgreSQL: how long a statement may wait for a lock (`lock_timeout`: past it, it fails with SQLSTATE 55P03) and
   * run in all (`statement_timeout`: 57014), ms, 0 for no bound; for a caller that answers "busy" rather than wait
   * without end behind another process's `LOCK TABLE`, `ALTER TABLE` or `VACUUM FULL`, or a stuck statement
   * (`infermark ui`). `read` holds on every connection once the store is open (its migrations run unbounded),
   * `write` inside write transactions (ingest, removeDuplicates). SQLite: no effect (busyTimeoutMs).
   * @default undefined (no bounds: the server's settings)
   */
  postgresTimeouts?: PostgresTimeouts;
}

/**
 * Which database a URL (or the environment) names. An empty INFERMARK_DB counts as unset; an empty `url` is refused
 * (StoreOpenError): `--db "$DB"` with DB unset would otherwise write to the default database.
 * @example resolveDbUrl(undefined, { INFERMARK_DB: "runs.db" }) // "runs.db"
 */
export function resolveDbUrl(url?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (url !== undefined && url.trim() === "")
    throw new StoreOpenError(
      "--db is empty: give an SQLite file path or a postgres:// URL, or leave --db out for $INFERMARK_DB, else infermark.db",
    );
  const target = url?.trim() || env[DB_ENV]?.trim() || DEFAULT_DB_PATH;
  // an empty file name opens a temporary database that SQLite deletes on close: an ingest "stored" into nothing
  if (/^sqlite:\s*$/i.test(target))
    throw new StoreOpenError(
      `"${target}" names no SQLite file: give its path after sqlite:, or a postgres:// URL`,
    );
  return target;
}

const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

/**
 * Where a store URL points, for messages and output: a PostgreSQL URL without its password, a file path as it is.
 * @example storeLocation("postgres://u:secret@db:5432/x") // "postgres://u:***@db:5432/x"
 */
export const storeLocation = (url: string): string =>
  isPostgresUrl(url) ? redactUrl(url) : isMistypedPostgresUrl(url) ? MISTYPED_POSTGRES_URL : url;

/** `postgres:/u:pw@h/db`, `postgresql:u:pw@h`: a PostgreSQL URL without its `//`, which SQLite would take for a file. */
const isMistypedPostgresUrl = (url: string) => /^postgres(ql)?:/i.test(url) && !isPostgresUrl(url);

/** How a mistyped PostgreSQL URL is shown (it may hold a password). */
const MISTYPED_POSTGRES_URL = "postgres:(a URL without // after postgres:, not shown)";

/**
 * Opens the results store and runs pending migrations. `url` is an SQLite file path (`sqlite:` prefix
 * optional) or `postgres://user:pass@host:port/db`; absent, INFERMARK_DB or `infermark.db` in the working
 * directory.
 * @example
 * const store = await openStore("results.db");
 * await store.ingest(points, { path: "run.jsonl" });
 * const latest = await store.queryPoints({ model: ["dsr1"], latest: true });
 * await store.close();
 */
export async function openStore(url?: string, options: StoreOptions = {}): Promise<Store> {
  const target = resolveDbUrl(url);
  let opened: OpenedDatabase;
  if (isPostgresUrl(target))
    opened = await openPostgres(target, options.recordBufferChars, options.postgresTimeouts);
  // `postgres:/u:pw@h/db` is a mistyped URL, not an SQLite file to create: its name, and the messages naming it,
  // would hold the password
  else if (isMistypedPostgresUrl(target))
    throw new StoreOpenError(
      "a PostgreSQL URL begins postgres:// or postgresql:// (postgres://user:password@host:5432/db); this one does not (not repeated: it may hold a password)",
    );
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target))
    throw new StoreOpenError(
      `unsupported database URL "${target.split("://")[0]}://..."; use an SQLite file path or postgres://`,
    );
  else opened = openSqlite(target.replace(/^sqlite:/i, ""), options);
  const { db, dialect, location, begin } = opened;
  try {
    if (opened.readOnly !== undefined) await checkMigrated(db, opened.readOnly);
    else {
      if (dialect === "sqlite") await refuseForeignSqlite(db, location);
      await migrateToLatest(db, opened.schema, opened.migrating);
    }
    if (dialect === "sqlite" && options.busyTimeoutMs !== undefined)
      await sql`pragma busy_timeout = ${sql.lit(Math.max(0, Math.floor(options.busyTimeoutMs)))}`.execute(
        db,
      );
  } catch (error) {
    await db.destroy().catch(() => {});
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(`cannot prepare database ${location}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const rowCache = new RowCache();
  return {
    dialect,
    location,
    db,
    ingest: (points, meta) => ingestPoints(opened, points, meta, rowCache),
    recordRejection: (meta, reason) => logRejection(begin, meta, reason),
    queryPoints: (filter) => queryPoints(db, filter),
    listGroups: (filter) => listGroups(db, filter),
    listDates: (filter) => listDates(db, filter),
    getPoint: (id) => getPoint(db, id),
    getRequestRecords: (pointId) => getRequestRecords(db, pointId),
    removeDuplicates: (find, options) => removeDuplicates(opened, find, options),
    close: async () => {
      await opened.close();
      await db.destroy();
    },
  };
}
