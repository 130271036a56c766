import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import type { OpenedDatabase } from "../dialects/types.js";
import { StoreOpenError } from "../errors.js";
import type { StoreDatabase } from "../schema.js";
import * as initial from "./0001-initial.js";
import * as pointGroups from "./0002-point-groups.js";
import * as workloadKind from "./0003-workload-kind.js";
import * as datasetIdentity from "./0004-dataset-identity.js";
import * as totalGpusOnBothSides from "./0005-total-gpus-on-both-sides.js";
import * as softwareRelease from "./0006-software-release.js";
import * as runInstants from "./0007-run-instants.js";

/** Every migration, by version name (sorted order is applied order). Append, never edit a shipped one. */
export const MIGRATIONS: Record<string, Migration> = {
  "0001-initial": initial,
  "0002-point-groups": pointGroups,
  "0003-workload-kind": workloadKind,
  "0004-dataset-identity": datasetIdentity,
  "0005-total-gpus-on-both-sides": totalGpusOnBothSides,
  "0006-software-release": softwareRelease,
  "0007-run-instants": runInstants,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** The error for a database a newer infermark migrated (it has migration `newer`, which this one lacks). */
const newerInfermark = (newer: string, cause?: unknown) =>
  new StoreOpenError(
    `the database was upgraded by a newer infermark (it has migration ${newer}; this one knows up to ${Object.keys(MIGRATIONS).at(-1)}): upgrade infermark to open it`,
    { cause },
  );

/**
 * Brings a database to the latest schema version; throws with the failing migration's name. `schema` (PostgreSQL)
 * is where the migration tables live: without it Kysely finds them in any schema of the database, so a second
 * infermark schema beside a first one was taken as migrated and failed. `migrating` (`OpenedDatabase`: SQLite's,
 * and PostgreSQL's with `postgresTimeouts`) runs the pending migrations in one write transaction (SQLite) or without
 * the statement bounds (PostgreSQL); a store with none pending is only read, so that opening it does not wait for
 * another process's ingest.
 */
export async function migrateToLatest(
  db: Kysely<StoreDatabase>,
  schema?: string,
  migrating?: OpenedDatabase["migrating"],
): Promise<string[]> {
  if (!migrating) return runMigrations(db, schema);
  if (pendingOf(await executedMigrations(db, schema)).length === 0) return [];
  // the migrator reads again which have run, inside the transaction: another process may have run them meanwhile
  return migrating(() => runMigrations(db, schema));
}

async function runMigrations(db: Kysely<StoreDatabase>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    // a database a newer infermark migrated: Kysely calls it "corrupted"; say what it is
    const newer = /previously executed migration (\S+) is missing/.exec(String(error))?.[1];
    if (newer) throw newerInfermark(newer, error);
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "(unknown)";
    throw new StoreOpenError(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** The migrations run on the database, in `schema` where given (none when it has no migration table). Reads only. */
async function executedMigrations(db: Kysely<StoreDatabase>, schema?: string): Promise<string[]> {
  // in `schema`, as the migrator reads it: unqualified, PostgreSQL would find another store's table further along the
  // search_path, and a new schema before it would be taken as migrated
  const table =
    schema !== undefined ? sql.id(schema, "kysely_migration") : sql.id("kysely_migration");
  try {
    const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(db);
    return rows.map((r) => r.name);
  } catch {
    return []; // no migration table: nothing has run
  }
}

/**
 * The known migrations not in `done`; throws, as `migrateToLatest` does, when `done` holds one this infermark does
 * not know (a newer infermark migrated the database).
 */
function pendingOf(done: readonly string[]): string[] {
  const known = Object.keys(MIGRATIONS);
  const newer = done.find((name) => !known.includes(name));
  if (newer !== undefined) throw newerInfermark(newer);
  return known.filter((name) => !done.includes(name));
}

/**
 * Refuses an SQLite database that holds tables but no migration table of infermark's: another program's, named
 * by a mistyped `--db`, where migrating would make the store's tables beside its own. An empty database (no
 * tables) is a new store, as an absent file is. Reads only.
 * @example await refuseForeignSqlite(db, "app.db");
 */
export async function refuseForeignSqlite(
  db: Kysely<StoreDatabase>,
  location: string,
): Promise<void> {
  const { rows } = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' and name not like 'sqlite!_%' escape '!' order by name`.execute(
    db,
  );
  if (rows.length === 0 || rows.some((r) => r.name === "kysely_migration")) return;
  const names = rows.map((r) => r.name);
  throw new StoreOpenError(
    `${location} is an SQLite database of another program (its tables: ${names.slice(0, 5).join(", ")}${names.length > 5 ? `, and ${names.length - 5} more` : ""}), not an infermark store: give another --db path`,
  );
}

/**
 * For a store opened read-only (`why`: an SQLite file or folder this user cannot write), where no migration can
 * run: throws unless every migration has run, naming those that have not, or, as `migrateToLatest`, the newer
 * infermark that migrated it. Reads only.
 * @example await checkMigrated(db, "opened read-only, as x.db or its folder is not writable");
 */
export async function checkMigrated(db: Kysely<StoreDatabase>, why: string): Promise<void> {
  const done = await executedMigrations(db);
  const pending = pendingOf(done);
  if (pending.length === 0) return;
  throw new StoreOpenError(
    done.length === 0
      ? `the database holds no infermark store, and none can be made in it: ${why}`
      : `the database needs migration ${pending.join(", ")} before this infermark can read it, which writes to it, and it was ${why}: open it once with write access to the file and its folder`,
  );
}
