import { accessSync, constants, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type Database from "better-sqlite3";
import { StoreOpenError } from "../../errors.js";
import { newDatabase, plainFileName } from "./connection.js";

/** The size of a write-ahead log's header: a log larger than this holds frames. */
const WAL_HEADER_BYTES = 32;

/**
 * Whether opening an existing store's connection failed in a way a read-only open may get past: SQLite's
 * SQLITE_READONLY and its extended codes (e.g. SQLITE_READONLY_DIRECTORY: a WAL database whose `-shm` file cannot
 * be made beside it), and SQLITE_CANTOPEN (given when a `-wal` file is there but the `-shm` cannot be made).
 */
export function isReadOnlyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN"))
  );
}

/** A connection `openReadOnly` made, and why the store could only be read. */
export interface ReadOnlyConnection {
  database: Database.Database;
  /** Why writes are refused, for their error (`writeFailed` words it). */
  why: string;
}

/** Opens, and reads the schema version once, so that a file SQLite cannot read fails here. */
function openReading(filename: string): Database.Database {
  const database = newDatabase(filename, { readonly: true, fileMustExist: true });
  try {
    database.pragma("busy_timeout = 5000");
    database.pragma("cache_size = -65536");
    database.pragma("schema_version");
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

/** The size of `path`, or 0 when there is no such file. */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Whether this user can write the existing file `path` (a store it cannot write is opened with `openReadOnly` from
 * the start: opening it to write first would leave `-wal` / `-shm` files owned by this user beside it, which its
 * owner then cannot write).
 */
export function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A connection `openOnce` made, and whether it reads the file as it is (immutable: blind to later writes). */
interface OpenedOnce {
  database: Database.Database;
  immutable: boolean;
}

function openOnce(path: string, cause: unknown): OpenedOnce {
  const wal = `${path}-wal`;
  if (sizeOf(wal) > WAL_HEADER_BYTES) {
    try {
      return { database: openReading(plainFileName(path)), immutable: false };
    } catch (error) {
      throw new StoreOpenError(
        `cannot read ${path}: its write-ahead log ${wal} holds changes not yet copied into it, which SQLite reads only with a -shm file beside it that this user can read (${(error as Error).message}); open it once with write access to the file and its folder (any infermark command copies the log in on closing), or copy the file and its -wal to a writable folder`,
        { cause },
      );
    }
  }
  try {
    return {
      database: openReading(`${pathToFileURL(resolve(path)).href}?immutable=1`),
      immutable: true,
    };
  } catch (error) {
    throw new StoreOpenError(
      `cannot read ${path}: ${(cause as Error).message} (it is not writable for this user, and reading it as it is failed too: ${(error as Error).message})`,
      { cause },
    );
  }
}

/**
 * What a write by another process changes: the file's identity, size and times, and the size of its log. An
 * immutable connection is opened again when this differs from what it was when it opened.
 */
function fileSignature(path: string): string {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${sizeOf(`${path}-wal`)}`;
  } catch {
    return "gone";
  }
}

/** The Database methods through which every query, pragma and transaction starts. */
const ENTRY_POINTS = new Set<string | symbol>(["prepare", "exec", "pragma", "transaction"]);
/** Connections replaced by a newer one, kept open for statements still reading them; past this many the oldest is closed. */
const MAX_RETIRED = 8;

/**
 * A Database that stays right while another process writes the file: SQLite reads an immutable connection's file
 * as if it never changed, and may answer wrongly (or report corruption) when it does. Each query's start compares
 * the file with what it was when the connection opened, and opens it again (`openOnce`) when another process has
 * written it since; a connection through the log (not immutable) sees writes itself and is kept. A replaced
 * connection stays open for a statement still iterating it, and is closed with the store (or once MAX_RETIRED
 * newer ones replaced it).
 */
function refreshingSnapshot(
  path: string,
  cause: unknown,
  first: OpenedOnce,
  signedBefore: string,
): Database.Database {
  let current = first;
  // taken before each open: a write between the two makes the next query open the file again
  let seen = signedBefore;
  const retired: Database.Database[] = [];
  const refresh = () => {
    const now = fileSignature(path);
    if (now === seen) return;
    const next = openOnce(path, cause);
    retired.push(current.database);
    if (retired.length > MAX_RETIRED) retired.shift()?.close();
    current = next;
    seen = now;
  };
  const close = () => {
    for (const database of retired.splice(0)) database.close();
    return current.database.close();
  };
  return new Proxy(first.database, {
    get(_target, property) {
      if (property === "close") return close;
      if (current.immutable && ENTRY_POINTS.has(property)) refresh();
      const value: unknown = Reflect.get(current.database, property, current.database);
      return typeof value === "function" ? value.bind(current.database) : value;
    },
  });
}

/**
 * Opens an SQLite store for reading only: its file or its folder is not writable for this user (`cause` says how
 * that showed). It makes no file beside the store where it can help it, so a reader never leaves `-wal` / `-shm`
 * files that the store's owner cannot write (its next ingest would fail): with no log holding frames (a store closed
 * cleanly leaves none), immutable (`?immutable=1`: SQLite reads the file as it is, with no lock and no side files,
 * and the connection is opened again when another process writes the file: `refreshingSnapshot`); with a log that
 * holds frames (the owner is writing, or did not close), read-only through the log and the owner's `-shm`. A log
 * SQLite cannot read that way, or a file it cannot read at all, is refused with one line.
 * @example const { database } = openReadOnly("/ro/x.db", error);
 */
export function openReadOnly(path: string, cause: unknown): ReadOnlyConnection {
  const why = `opened read-only, as ${path} or its folder is not writable`;
  const signature = fileSignature(path);
  const opened = openOnce(path, cause);
  return {
    database: opened.immutable
      ? refreshingSnapshot(path, cause, opened, signature)
      : opened.database,
    why,
  };
}
