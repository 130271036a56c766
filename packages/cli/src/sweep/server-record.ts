import { readdir, readFile, rename, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { createExclusive, tempPathFor, writeAtomic } from "./atomic-files.js";
import { bootId, markAlive, type ProcessEntry, processStartTime } from "./process-identity.js";
import { serverDir } from "./results-dir.js";
import { sweepFolder } from "./sweep-folder.js";

/**
 * A server a sweep launched and has not stopped yet, written beside its results while it runs
 * (`<out>/<server name>/server.state`), so that the next sweep in the folder can stop it when the sweep that
 * started it was killed (SIGKILL, an out-of-memory kill) and left it running in its own process group.
 * Not `.json`: `infermark ingest <out>` reads every JSON file of the folder as points.
 */
export interface ServerRecord {
  schema: "infermark.sweep-server/v1";
  /** The server configuration's name. */
  server: string;
  /** The server's process, the leader of its own process group (pid = process group id). */
  pid: number;
  /** Its start time in clock ticks since boot (Linux), to tell it from a later process given the same pid. */
  startTime?: string;
  bootId?: string;
  host: string;
  port?: number;
  /** A docker recipe's container, removed with the server. */
  container?: string;
  /** Its `{{scratchDir}}` (`$TMPDIR/infermark-<server>-XXXXXX`), removed with it (records before 2026-11-28 lack it). */
  scratchDir?: string;
  /** The sweep that launched it: while that process lives, the server is its own to stop. */
  owner: { pid: number; startTime?: string };
  /** The command, secrets redacted. */
  command?: string;
  /**
   * Its workers that left its process group (`setsid`), noted while it ran: stopped with it, each checked by its
   * start time, even once the server itself has exited and they were handed to init.
   */
  strays?: ProcessEntry[];
  /**
   * The value of SERVER_COOKIE_VAR in its environment: every process it started carries it, so those that left its
   * group are found after the sweep was killed, even the ones never noted (records before 2026-11-28 lack it).
   */
  cookie?: string;
  date: string;
}

const RECORD_FILE = "server.state";

/** `<out>/<server>/server.state` */
export const serverRecordPath = (outputDir: string, serverName: string): string =>
  join(serverDir(outputDir, serverName), RECORD_FILE);

/** A record of a server this process has just launched. */
export function newServerRecord(o: {
  server: string;
  pid: number;
  port?: number;
  container?: string;
  scratchDir?: string;
  command?: string;
  cookie?: string;
}): ServerRecord {
  const startTime = processStartTime(o.pid);
  const boot = bootId();
  const ownerStart = processStartTime(process.pid);
  return {
    schema: "infermark.sweep-server/v1",
    server: o.server,
    pid: o.pid,
    ...(startTime ? { startTime } : {}),
    ...(boot ? { bootId: boot } : {}),
    host: hostname(),
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.container ? { container: o.container } : {}),
    ...(o.scratchDir ? { scratchDir: o.scratchDir } : {}),
    owner: { pid: process.pid, ...(ownerStart ? { startTime: ownerStart } : {}) },
    ...(o.command ? { command: o.command } : {}),
    ...(o.cookie ? { cookie: o.cookie } : {}),
    date: new Date().toISOString(),
  };
}

/** Writes a record atomically (a reader sees the old file or the new one, never half of one). */
export async function writeServerRecord(path: string, record: ServerRecord): Promise<void> {
  await sweepFolder(dirname(path));
  await writeAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Whether a record belongs to another sweep that runs now on this machine (same host and boot, its pid still the
 * process that wrote it): that sweep is running the server configuration in this folder, and a second one must not.
 */
export function heldByAnotherSweep(record: ServerRecord): boolean {
  if (record.host !== hostname() || record.owner.pid === process.pid) return false;
  const { host, owner } = record;
  return (
    markAlive({ host, ...(record.bootId ? { bootId: record.bootId } : {}), ...owner }) === true
  );
}

/** The record at `path`; undefined when there is none or it cannot be read as one. */
export async function readServerRecord(path: string): Promise<ServerRecord | undefined> {
  try {
    const record: unknown = JSON.parse(await readFile(path, "utf8"));
    return isRecord(record) ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the record of a server this sweep has launched unless another sweep that runs now holds the file (then
 * returns that sweep's record and writes nothing). The file is created exclusively (a hard link of a complete
 * temporary file), so two sweeps that launch the same configuration at the same moment cannot both take it; a
 * record of a sweep that is gone, or of another host, is replaced.
 */
export async function claimServerRecord(
  path: string,
  record: ServerRecord,
): Promise<ServerRecord | undefined> {
  const tmp = tempPathFor(path);
  // a file system without hard links: the plain atomic replace below
  if ((await createExclusive(path, `${JSON.stringify(record, null, 2)}\n`, tmp)) === "created")
    return undefined;
  const held = await readServerRecord(path);
  if (held && heldByAnotherSweep(held)) {
    await rm(tmp, { force: true });
    return held;
  }
  await rename(tmp, path);
  return undefined;
}

/**
 * Removes a record; with `pid`, only when the file still records that server (another sweep of the same
 * configuration in the same folder may have written its own since).
 */
export async function removeServerRecord(path: string, pid?: number): Promise<void> {
  if (pid !== undefined) {
    try {
      const record = JSON.parse(await readFile(path, "utf8")) as Partial<ServerRecord>;
      if (record.pid !== pid) return;
    } catch {
      // gone, or unreadable: remove what is there
    }
  }
  await rm(path, { force: true });
}

const isRecord = (x: unknown): x is ServerRecord => {
  const r = x as Partial<ServerRecord> | null;
  return (
    r?.schema === "infermark.sweep-server/v1" &&
    typeof r.server === "string" &&
    Number.isSafeInteger(r.pid) &&
    (r.pid ?? 0) > 1 &&
    typeof r.host === "string" &&
    Number.isSafeInteger(r.owner?.pid)
  );
};

/** A server record of an output folder, or a `server.state` file that holds none this infermark can read. */
export type ServerRecordFile =
  | { path: string; record: ServerRecord }
  | { path: string; record?: undefined; problem: string };

/**
 * The server records of an output folder, with their paths, and the `server.state` files that hold none (a
 * truncated file, another tool's or another version's JSON) with what is wrong. A folder without one is passed by.
 */
export async function readServerRecords(outputDir: string): Promise<ServerRecordFile[]> {
  const dirs = await readdir(outputDir, { withFileTypes: true }).catch(() => []);
  const out: ServerRecordFile[] = [];
  for (const d of dirs.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!d.isDirectory()) continue;
    const path = join(outputDir, d.name, RECORD_FILE);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      // no record: its server is not running, or was stopped
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        out.push({ path, problem: (error as Error).message });
      continue;
    }
    try {
      const record: unknown = JSON.parse(text);
      if (isRecord(record)) out.push({ path, record });
      else out.push({ path, problem: "not an infermark.sweep-server/v1 record" });
    } catch (error) {
      out.push({ path, problem: `not JSON (${(error as Error).message})` });
    }
  }
  return out;
}
