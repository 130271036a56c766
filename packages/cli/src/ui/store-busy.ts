import { BusyError } from "./heavy-gate.js";

/** How long a read waits for a store locked by another writer before it answers 503: 3 s. */
export const DEFAULT_BUSY_WAIT_MS = 3_000;

/** How long a write (`POST /api/points`) waits for the store's write lock: 60 s, as `infermark ingest` does. */
export const WRITE_LOCK_WAIT_MS = 60_000;

/** Seconds a client refused because the store was locked is told to wait (Retry-After). */
export const BUSY_RETRY_AFTER_S = 5;

/** The first and the longest pause before a busy store is tried again (doubling from one to the other). */
const FIRST_RETRY_MS = 25;
const MAX_RETRY_MS = 500;

/** Whether `error` (or an error in its cause chain) is SQLite's "the database is locked" (SQLITE_BUSY, SQLITE_LOCKED). */
export function isStoreBusy(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
  }
  return false;
}

/**
 * Runs `work` again on a timer while the store answers that it is locked, for at most `waitMs`, then throws a 503
 * with Retry-After. The waits are timers, so the event loop serves other requests meanwhile; SQLite's own busy
 * timeout would wait inside the synchronous call and stop the whole server for as long. The pauses double up to
 * half a second: a write checks its whole batch again on each try.
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
      if (!isStoreBusy(error)) throw error;
      if (Date.now() >= deadline)
        throw new BusyError(
          503,
          `the store is locked by another process's write (an ingest or a sweep) and stayed locked ${waitMs / 1000} s while ${what}; retry in ${BUSY_RETRY_AFTER_S} s`,
          { "retry-after": String(BUSY_RETRY_AFTER_S) },
        );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, deadline - Date.now())));
    pause = Math.min(pause * 2, MAX_RETRY_MS);
  }
}
