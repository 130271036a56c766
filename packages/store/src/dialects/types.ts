import type { Kysely, Transaction } from "kysely";
import type { PointValue } from "../point-columns.js";
import type {
  ConfigurationsTable,
  IngestLogTable,
  LatestPointsTable,
  PointGroupsTable,
  PowerSamplesTable,
  RequestRecordsTable,
  RunsTable,
  ServerMetricsTable,
  StoreDatabase,
} from "../schema.js";

/** The SQL dialects the store speaks. */
export type DialectName = "sqlite" | "postgres";

/** A table's row, loosely typed for bulk writes. */
export type Row = Record<string, string | number | null>;

/**
 * Bulk writes inside one Kysely transaction (the PostgreSQL path): multi-row statements.
 */
export interface BatchWriter {
  /** INSERT, skipping rows whose key exists; returns, per row, whether it was inserted. */
  insertIgnore(table: keyof StoreDatabase, rows: readonly Row[]): Promise<boolean[]>;
  /** Plain INSERT (rows known to be new). */
  insert(table: keyof StoreDatabase, rows: readonly Row[]): Promise<void>;
  /** Keeps each (level, source) at its newest point: by date, then by id. */
  upsertLatest(rows: readonly LatestPointsTable[]): Promise<void>;
  /** Adds a batch's group counts to `point_groups` (one row per group in `rows`). */
  upsertGroups(rows: readonly PointGroupsTable[]): Promise<void>;
}

/**
 * Part of one ingest's rows, as plain data (it may cross to a worker thread). Points are unique within the
 * ingest and listed once; runs and configurations once per ingest; details (power samples, server metrics,
 * request records) are written only for points that turn out to be new.
 */
export interface RowChunk {
  runs: RunsTable[];
  configurations: ConfigurationsTable[];
  /** Point rows, each its values in POINT_COLUMNS order. */
  points: PointValue[][];
  power: PowerSamplesTable[];
  server: ServerMetricsTable[];
  requests: RequestRecordsTable[];
}

/**
 * A query an ingest runs inside its transaction, before it writes (where an importer finds the stored copies of
 * its measurements): SQL compiled for the store's dialect, with its parameters. Plain data, so it may cross to
 * a worker thread.
 */
export interface Read {
  sql: string;
  parameters: readonly unknown[];
}

/** A compiled Kysely query as a Read: its SQL and parameters only (not its operation tree). */
export const readOf = ({ sql, parameters }: Read): Read => ({ sql, parameters });

/** The rows a read returned. */
export type ReadRows = Record<string, unknown>[];

/** The ingest log row of an ingest, but for its counts (known at commit). */
export type IngestLogStub = Omit<IngestLogTable, "inserted" | "unchanged">;

/**
 * One ingest's transaction, fed chunk by chunk: all of it is written, or nothing. A dialect may write
 * chunks as they come (on another thread) or at commit. `start` comes first, once, then the chunks, then
 * `commit` or `abort`.
 */
export interface IngestSink {
  /**
   * The rows of each read `begin` was given, in order, read inside this transaction after it took the store's
   * write lock: no other ingest writes between these reads and this transaction's commit.
   */
  readonly found: readonly ReadRows[];
  /**
   * More reads in this transaction, after `begin`'s (only for a sink begun with reads: it holds the write lock from
   * its begin), for a caller that reads what it needs a part at a time (`removeDuplicates` pages through its
   * candidates). A read may also be a statement that returns no rows (a temporary table's CREATE or INSERT); an error
   * leaves the transaction to `abort`.
   */
  read(reads: readonly Read[]): Promise<ReadRows[]>;
  /**
   * Takes out the stored points `replaces` names (`replaceStatements`), before any chunk is written
   * (returns at once; errors surface at `commit`).
   */
  start(replaces: readonly string[]): void;
  /**
   * Queues a chunk of rows. It returns at once (errors surface at `commit`), or, where the sink writes what it
   * holds now to bound its memory, the write, which the caller awaits before it builds more rows.
   */
  write(chunk: RowChunk): void | Promise<void>;
  /**
   * Updates `latest_points` and `point_groups` from the points that were new, writes the log row with the
   * counts (`total` points in the input), commits, and returns how many points were new.
   */
  commit(log: IngestLogStub, total: number): Promise<number>;
  /** Abandons the transaction: nothing of it is written. */
  abort(): Promise<void>;
}

/** A database opened by a dialect plug-in, before migrations. */
export interface OpenedDatabase {
  dialect: DialectName;
  db: Kysely<StoreDatabase>;
  /** Where the data lives, for messages (file path, or the URL without its password). */
  location: string;
  /**
   * PostgreSQL: the schema the connection writes to (the first of its search_path), where the migration tables
   * belong too. SQLite: none.
   */
  schema?: string;
  /**
   * SQLite: why the file was opened for reading only (it or its folder is not writable); `begin` then refuses,
   * and migrations are checked, not run. Absent when the store can be written.
   */
  readOnly?: string;
  /**
   * Starts the transaction of one ingest of `points` points (SQLite: after the previous one has ended). Given
   * reads, it takes the store's write lock and runs them before it returns (`IngestSink.found`), so what an
   * ingest decides from them holds at its commit; without, a dialect may take the lock later, at commit.
   */
  begin(points: number, reads?: readonly Read[]): Promise<IngestSink>;
  /**
   * SQLite: runs `work` (the pending migrations) in one write transaction on `db`'s connection, `BEGIN IMMEDIATE` to
   * `COMMIT`, rolled back when it throws: Kysely runs SQLite migrations outside any transaction and without a lock,
   * so two processes opening a new or older store at once both ran them (`table "runs" already exists`), and a
   * migration that failed halfway left its first statements applied. PostgreSQL: present only with
   * `postgresTimeouts`, to run `work` without the statement bounds (Kysely's migrator takes an advisory lock and runs
   * the migrations in one transaction).
   */
  migrating?<T>(work: () => Promise<T>): Promise<T>;
  /** Releases what `begin` holds beyond `db` (a writer thread); `db` is destroyed by the caller. */
  close(): Promise<void>;
}

/** The ON CONFLICT condition that keeps the newer latest point (shared by both dialects). */
export const NEWER_LATEST =
  "excluded.date > latest_points.date or (excluded.date = latest_points.date and excluded.point_id > latest_points.point_id)";

/** Primary-key columns of each table that `insertIgnore` deduplicates on. */
export const KEYS: Partial<Record<keyof StoreDatabase, string[]>> = {
  runs: ["id"],
  configurations: ["id"],
  points: ["id"],
};

/** Type of the factory a Kysely-transaction dialect provides. */
export type WriterOf = (trx: Transaction<StoreDatabase>) => BatchWriter;
