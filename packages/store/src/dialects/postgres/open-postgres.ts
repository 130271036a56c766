import { type ControlledTransaction, Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { StoreOpenError } from "../../errors.js";
import type { StoreDatabase } from "../../schema.js";
import { kyselySink, rollBack } from "../kysely-ingest.js";
import { kyselyWriter } from "../kysely-writer.js";
import type { OpenedDatabase } from "../types.js";

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(unparsable URL)";
  }
}

/** A connection error in words; Node reports a refused dual-stack connect as an AggregateError without message. */
function describeConnectError(error: unknown): string {
  const e = error as Error & { code?: string; errors?: Error[] };
  if (e.message) return e.message;
  const inner = e.errors?.[0] as (Error & { code?: string }) | undefined;
  return inner?.message || e.code || inner?.code || String(error);
}

/** First key of the store's advisory lock ("infm"); the second is the hash of the schema written to. */
const WRITE_LOCK = 0x696e666d;

/**
 * Starts a transaction and takes the store's write lock: a transaction-scoped advisory lock, per schema, that
 * every ingest holds from its first read or write to its end, so ingests into one schema run one at a time, as
 * SQLite's `BEGIN IMMEDIATE` makes them. An importer reads the stored copies of its measurements and decides what
 * to write inside the lock, so two imports cannot both find a measurement new (and store it twice) or both
 * replace it; and a transaction that deletes a run or configuration left without points cannot race one that
 * adds a point to it. Chosen over SERIALIZABLE: that would fail one of two such imports at commit, and a retry
 * would have to read, decide and build the batch's rows again; the lock makes the second wait instead.
 */
async function lockedTransaction(
  db: Kysely<StoreDatabase>,
): Promise<ControlledTransaction<StoreDatabase>> {
  const trx = await db.startTransaction().execute();
  try {
    await sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK)}, hashtext(current_schema()))`.execute(
      trx,
    );
  } catch (error) {
    await rollBack(trx);
    throw error;
  }
  return trx;
}

/**
 * Connects to PostgreSQL (`postgres://user:pass@host:port/db`) and checks the connection before returning,
 * so an unreachable or refusing server fails here with one clear line.
 * @example const { db } = await openPostgres("postgres://infermark:secret@localhost:5432/infermark");
 */
export async function openPostgres(url: string): Promise<OpenedDatabase> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  // An idle client's error must not crash the process; the next query reports it.
  pool.on("error", () => {});
  let schema: string | null;
  try {
    const client = await pool.connect();
    try {
      schema = (await client.query<{ schema: string | null }>("select current_schema() as schema"))
        .rows[0]!.schema;
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => {});
    const reason = describeConnectError(error);
    throw new StoreOpenError(`cannot connect to PostgreSQL at ${location}: ${reason}`, {
      cause: error,
    });
  }
  if (schema === null) {
    await pool.end().catch(() => {});
    throw new StoreOpenError(
      `no schema to write to at ${location}: the schemas of its search_path do not exist (create the schema first, e.g. CREATE SCHEMA name)`,
    );
  }
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: "postgres",
    db,
    location,
    schema,
    begin: (_points, reads) =>
      kyselySink(
        () => lockedTransaction(db),
        (trx) => kyselyWriter(trx, 60_000),
        reads,
      ),
    close: async () => {},
  };
}
