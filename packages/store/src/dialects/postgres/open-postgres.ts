import {
  type ControlledTransaction,
  Kysely,
  PostgresDialect,
  type PostgresPool,
  sql,
} from "kysely";
import pg from "pg";
import { StoreOpenError } from "../../errors.js";
import type { StoreDatabase } from "../../schema.js";
import { kyselySink, rollBack } from "../kysely-ingest.js";
import { kyselyWriter } from "../kysely-writer.js";
import type { OpenedDatabase } from "../types.js";

/**
 * Query parameters that carry a secret: pg reads `?password=` (and every parameter) as a connection setting, so a
 * password can come there instead of in the user part; `sslpassword` unlocks a client key. Matched on the name as pg
 * reads it, percent-decoded (`?pass%77ord=` is a password to pg too).
 */
const SECRET_PARAMETER = /^(?:ssl)?password$/i;

/**
 * The URL without its password (in the user part or as a query parameter), for messages. A fragment, which pg does
 * not read, is left out: an unencoded `#` in a password (`?password=ab#cd`) starts one. Of a URL that does not
 * parse (a `/`, `#` or `?` in a password that should have been percent-encoded) nothing is shown: where its password
 * ends cannot be told.
 * @example redactUrl("postgres://u:pw@db:5432/x?sslpassword=k") // "postgres://u:***@db:5432/x?sslpassword=***"
 */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return UNPARSABLE;
  const u = new URL(url);
  if (u.password) u.password = "***";
  // replaced in the text: re-serialising searchParams would re-encode the other parameters (%20 as +)
  u.search = redactQuery(u.search);
  u.hash = "";
  return u.toString();
}

/** How a URL that does not parse is shown, with what to do about it. */
const UNPARSABLE =
  "postgres://(a URL that does not parse: check its port, and percent-encode special characters of its user and password, / as %2F, # as %23, ? as %3F)";

/** A query string (`?a=1&password=x`) with the value of each parameter that carries a secret replaced by `***`. */
function redactQuery(search: string): string {
  if (search === "") return search;
  return `?${search
    .slice(1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAMETER.test(percentDecoded(name)) ? `${name}=***` : pair;
    })
    .join("&")}`;
}

/** `text` percent-decoded as URLSearchParams decodes a name (`+` is a space), never throwing. */
const percentDecoded = (text: string): string =>
  new URLSearchParams(`${text}=`).keys().next().value ?? text;

/** A connection error in words; Node reports a refused dual-stack connect as an AggregateError without message. */
function describeConnectError(error: unknown): string {
  const e = error as Error & { code?: string; errors?: Error[] };
  if (e.message) return e.message;
  const inner = e.errors?.[0] as (Error & { code?: string }) | undefined;
  return inner?.message || e.code || inner?.code || String(error);
}

/**
 * The pool as Kysely uses it, safe when the server ends a connection (pg_terminate_backend, a restart, a failover)
 * mid-ingest. A checked-out client's 'error' event is listened to: pg-pool listens on a client only while it is idle,
 * and the event without a listener ended the process with a stack trace. And a client the server ended with a FATAL
 * error is never handed out again: pg fails the query that got the error at once but counts the client as usable
 * until it has read the socket's end, so a client released before that (Kysely releases one whose BEGIN failed)
 * went to the next caller, whose first query failed too (`Connection terminated unexpectedly`). `session()`, when
 * given, is the SET statement a client must have run before it is handed out (the timeouts); it runs once per client
 * and again when it changes.
 */
function withoutEndedClients(pool: pg.Pool, session?: () => string): PostgresPool {
  const ended = new WeakSet<pg.PoolClient>();
  const applied = new WeakMap<pg.PoolClient, string>();
  pool.on("connect", (client) => {
    client.on("error", () => {});
    client.connection.on("errorMessage", (message: { severity?: string }) => {
      if (message.severity === "FATAL" || message.severity === "PANIC") ended.add(client);
    });
  });
  return {
    async connect() {
      for (;;) {
        const client = await pool.connect();
        if (ended.has(client)) {
          client.release(true);
          continue;
        }
        const wanted = session?.();
        if (wanted !== undefined && applied.get(client) !== wanted) {
          try {
            await client.query(wanted);
          } catch (error) {
            client.release(true);
            throw error;
          }
          applied.set(client, wanted);
        }
        return client;
      }
    },
    end: () => pool.end(),
  };
}

/** How long a statement may wait for a lock and run in all, ms (see StoreOptions.postgresTimeouts); 0: no bound. */
export interface StatementTimeouts {
  lockMs: number;
  statementMs: number;
}

/** The timeouts of the statements outside a write transaction (`read`) and inside one (`write`). */
export interface PostgresTimeouts {
  read: StatementTimeouts;
  write: StatementTimeouts;
}

/** A timeout as PostgreSQL's settings take it: whole milliseconds, 0 for none. */
const ms = (n: number) => String(Math.max(0, Math.floor(n)));

/** First key of the store's advisory lock ("infm"); the second is the hash of the schema written to. */
const WRITE_LOCK = 0x696e666d;

/**
 * Starts a transaction and takes the store's write lock, a transaction-scoped advisory lock per schema held to the
 * transaction's end. An ingest that reads the stored copies of its measurements and decides on them (a
 * deduplicating import), or takes points out (a replace, `db dedupe`), takes it exclusively: two imports cannot both
 * find a measurement new (and store it twice) or both replace it, and a transaction that deletes a run or
 * configuration left without points cannot race one that adds a point to it. An ingest that only adds points takes
 * it shared: such ingests never conflict with each other (points go in with `on conflict do nothing`) and keep
 * writing side by side, as they did before the lock (with it exclusive for every ingest, 100,000 points in files of
 * 5,000, two in flight, went in at 4,400-5,100 points/s against 6,400-6,700). Chosen over SERIALIZABLE: that would
 * fail one of two such imports at commit, and a retry would have to read, decide and build the batch's rows again;
 * the lock makes the second wait instead.
 */
async function lockedTransaction(
  db: Kysely<StoreDatabase>,
  exclusive: boolean,
  timeouts?: StatementTimeouts,
): Promise<ControlledTransaction<StoreDatabase>> {
  const trx = await db.startTransaction().execute();
  try {
    // a write's own bounds, to its transaction's end: its connection's are a read's
    if (timeouts)
      await sql`select set_config('lock_timeout', ${ms(timeouts.lockMs)}, true), set_config('statement_timeout', ${ms(timeouts.statementMs)}, true)`.execute(
        trx,
      );
    const lock = exclusive ? sql`pg_advisory_xact_lock` : sql`pg_advisory_xact_lock_shared`;
    await sql`select ${lock}(${sql.lit(WRITE_LOCK)}, hashtext(current_schema()))`.execute(trx);
  } catch (error) {
    await rollBack(trx);
    throw error;
  }
  return trx;
}

/**
 * Connects to PostgreSQL (`postgres://user:pass@host:port/db`) and checks the connection before returning,
 * so an unreachable or refusing server fails here with one clear line. `recordBufferChars`, `timeouts`: see
 * StoreOptions (`postgresTimeouts`).
 * @example const { db } = await openPostgres("postgres://infermark:secret@localhost:5432/infermark");
 */
export async function openPostgres(
  url: string,
  recordBufferChars?: number,
  timeouts?: PostgresTimeouts,
): Promise<OpenedDatabase> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  // An idle client's error must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const bounded = timeouts
    ? `set lock_timeout = ${ms(timeouts.read.lockMs)}; set statement_timeout = ${ms(timeouts.read.statementMs)}`
    : undefined;
  // migrations run as without the timeouts: a statement_timeout must not cancel one halfway on a large store
  let lifted = false;
  const unbounded = "reset lock_timeout; reset statement_timeout";
  const kyselyPool = withoutEndedClients(
    pool,
    bounded === undefined ? undefined : () => (lifted ? unbounded : bounded),
  );
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
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool: kyselyPool }) });
  return {
    dialect: "postgres",
    db,
    location,
    schema,
    begin: (_points, reads) =>
      kyselySink(
        (exclusive) => lockedTransaction(db, exclusive, timeouts?.write),
        (trx) => kyselyWriter(trx, 60_000),
        reads,
        recordBufferChars,
      ),
    ...(bounded === undefined
      ? {}
      : {
          async migrating<T>(work: () => Promise<T>): Promise<T> {
            lifted = true;
            try {
              return await work();
            } finally {
              lifted = false;
            }
          },
        }),
    close: async () => {},
  };
}
