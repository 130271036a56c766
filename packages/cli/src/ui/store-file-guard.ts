import { type Stats, statSync } from "node:fs";
import { stat } from "node:fs/promises";
import type { Store } from "@infermark/store";
import { HttpError } from "./http.js";

/** What a request is told when the SQLite file under the server is no longer the one it opened. */
export const STORE_FILE_REPLACED =
  "the database file was replaced or removed while infermark ui was serving it; stop infermark ui, put the new file in place again (SQLite mixed it with the old file's -wal), then start it";

const sameFile = (a: Stats, b: Stats) => a.dev === b.dev && a.ino === b.ino;

/**
 * A check that the SQLite file the store opened is still the file at its path. An operator who moves a new
 * database over it (a restored backup, a rebuilt import) leaves the server reading the old, unlinked file: it
 * would go on answering stale data, and take writes (200 OK) into a file nobody can open again. Each API request
 * checks first and is answered 503 instead. A PostgreSQL store, or a file that cannot be found at the start,
 * needs no check.
 * @example const check = storeFileGuard(store); await check()
 */
export function storeFileGuard(store: Store): () => Promise<void> {
  if (store.dialect !== "sqlite") return async () => undefined;
  let opened: Stats;
  try {
    opened = statSync(store.location);
  } catch {
    return async () => undefined;
  }
  return async () => {
    const now = await stat(store.location).catch(() => undefined);
    if (!now || !sameFile(now, opened)) throw new HttpError(503, STORE_FILE_REPLACED);
  };
}
