import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { StoreOpenError } from "../../errors.js";
import type { StoreDatabase } from "../../schema.js";
import { kyselySink } from "../kysely-ingest.js";
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
    begin: async (_points, replaces) =>
      kyselySink(db, (trx) => kyselyWriter(trx, 60_000), replaces),
    close: async () => {},
  };
}
