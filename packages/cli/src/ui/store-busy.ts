import { BusyError } from "./heavy-gate.js";
import { HttpError } from "./http.js";

/** How long a read waits for a store locked by another writer before it answers 503: 3 s. */
export const DEFAULT_BUSY_WAIT_MS = 3_000;

/** How long a write (`POST /api/points`) waits for the store's write lock: 60 s, as `infermark ingest` does. */
export const WRITE_LOCK_WAIT_MS = 60_000;

/** Seconds a client refused because the store was locked is told to wait (Retry-After). */
export const BUSY_RETRY_AFTER_S = 5;

/**
 * The bounds of the ui's PostgreSQL connections (StoreOptions.postgresTimeouts): a read waits for a lock as long as
 * a read of a locked SQLite store is tried again, and runs a statement at most 60 s; a write waits for a lock as
 * long as on SQLite, and runs a statement at most 90 s. They, not the connection's stall timeout (which is off while
 * the server works on an answer, `whileServerWorks`), end a request the database holds up: with a 503 its client hears.
 */
export const UI_POSTGRES_TIMEOUTS = {
  read: { lockMs: DEFAULT_BUSY_WAIT_MS, statementMs: 60_000 },
  write: { lockMs: WRITE_LOCK_WAIT_MS, statementMs: 90_000 },
} as const;

/** The first and the longest pause before a busy store is tried again (doubling from one to the other). */
const FIRST_RETRY_MS = 25;
const MAX_RETRY_MS = 500;

/**
 * Why the store could not answer now, from a database error:
 * - `locked`: SQLite's "the database is locked" (SQLITE_BUSY, SQLITE_LOCKED), answered at once: try again
 * - `waited`: PostgreSQL waited for a lock as long as its `lock_timeout` (55P03 lock_not_available)
 * - `pool`: every connection of the pool stayed taken (pg-pool's wait for one ended)
 * - `cancelled`: PostgreSQL cancelled the statement (57014 query_canceled: its `statement_timeout`, an administrator)
 * - `unreachable`: the server refused the connection, ended it (pg_terminate_backend, a restart: 57P01-57P03, class
 *   08) or did not answer
 */
type Unavailable = "locked" | "waited" | "pool" | "cancelled" | "unreachable";

/** Socket errors of a server that is down or cannot be reached. */
const UNREACHABLE_CODE =
  /^(?:08|57P0[123]$|53300$|E(?:CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN|NOTFOUND)$)/;
/** pg's errors without a code for a connection that ended or never opened. */
const UNREACHABLE_MESSAGE = /^Connection terminated|is not queryable/;

/** The reason `error` (or an error in its cause chain) says the store could not answer now, and that error. */
function unavailable(error: unknown): { why: Unavailable; error: Error } | undefined {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, errors } = e as { code?: unknown; message?: unknown; errors?: unknown };
    const found = (why: Unavailable) => ({ why, error: e as Error });
    if (typeof code === "string") {
      if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return found("locked");
      if (code === "55P03") return found("waited");
      if (code === "57014") return found("cancelled");
      if (UNREACHABLE_CODE.test(code)) return found("unreachable");
    }
    if (typeof message === "string") {
      if (message === "timeout exceeded when trying to connect") return found("pool");
      if (UNREACHABLE_MESSAGE.test(message)) return found("unreachable");
    }
    // a refused dual-stack connect: an AggregateError of one error per address
    if (Array.isArray(errors) && errors.some((inner) => unavailable(inner)?.why === "unreachable"))
      return found("unreachable");
  }
  return undefined;
}

/** Whether `error` (or an error in its cause chain) says the store is locked by another connection. */
export function isStoreBusy(error: unknown): boolean {
  const why = unavailable(error)?.why;
  return why === "locked" || why === "waited";
}

/**
 * A 503 for a store that is down or cancelled the statement: the operator's to look at, so it is logged, with the
 * database's own words (`reason`), which the client is not told.
 */
export class StoreUnavailableError extends HttpError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(503, message, { "retry-after": String(BUSY_RETRY_AFTER_S) });
  }
}

/** An error's own words; Node reports a refused dual-stack connect as an AggregateError without message. */
function reasonOf(error: Error): string {
  const inner = (error as { errors?: Error[] }).errors?.[0];
  return error.message || inner?.message || String((error as { code?: unknown }).code ?? error);
}

/** The answer to a request the store could not serve now. */
function refusal(why: Unavailable, error: Error, waitMs: number, what: string): HttpError {
  const retry = `retry in ${BUSY_RETRY_AFTER_S} s`;
  const headers = { "retry-after": String(BUSY_RETRY_AFTER_S) };
  if (why === "locked" || why === "waited")
    return new BusyError(
      503,
      `the store is locked by another process (an ingest, a sweep, a migration or a db command) and stayed locked ${waitMs / 1000} s while ${what}; ${retry}`,
      headers,
    );
  if (why === "pool")
    return new BusyError(
      503,
      `every connection to the store stayed taken by other requests (waiting on a lock, or slow) while ${what}; ${retry}`,
      headers,
    );
  if (why === "cancelled")
    return new StoreUnavailableError(
      `the store's database cancelled a statement while ${what} (it ran past infermark ui's bound, or an administrator cancelled it); ${retry}`,
      reasonOf(error),
    );
  return new StoreUnavailableError(
    `the store's database server could not be reached, or ended the connection, while ${what}; ${retry}`,
    reasonOf(error),
  );
}

/**
 * Runs `work`, and answers 503 with Retry-After when the store cannot serve it now. A store locked by another
 * process's write is tried again on a timer for at most `waitMs` first: the waits are timers, so the event loop serves
 * other requests meanwhile; SQLite's own busy timeout would wait inside the synchronous call and stop the whole server
 * for as long. The pauses double up to half a second: a write checks its whole batch again on each try. PostgreSQL
 * waits for a lock itself, asynchronously, as long as the connection's `lock_timeout` (`waitMs` for the ui's
 * connections, UI_POSTGRES_TIMEOUTS): its lock timeout is answered at once, as are a cancelled statement and a server
 * that is down or ended the connection (the pool opens new connections for the next requests).
 * @example const rows = await whileBusy(() => store.listDates(), 3000, "reading")
 */
export async function whileBusy<T>(
  work: () => Promise<T>,
  waitMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  let pause = FIRST_RETRY_MS;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      const found = unavailable(error);
      if (!found) throw error;
      if (found.why !== "locked" || Date.now() >= deadline)
        throw refusal(found.why, found.error, waitMs, what);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, deadline - Date.now())));
    pause = Math.min(pause * 2, MAX_RETRY_MS);
  }
}
