import { execFile } from "node:child_process";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import {
  bootId,
  containerClientAlive,
  groupAlive,
  hasProcFs,
  type ProcessEntry,
  processStartTime,
  sameProcessAlive,
} from "./process-identity.js";
import { cookieStrays, groupStrays, signalTree, straysAlive } from "./process-tree.js";
import { removeScratchDir } from "./scratch-dir.js";
import { readServerRecords, removeServerRecord, type ServerRecord } from "./server-record.js";
import { SweepError } from "./sweep-error.js";
import type { SweepEvent } from "./types.js";

/** What this machine says now about a recorded server and the sweep that launched it. */
export interface RecordObservation {
  host: string;
  bootId?: string;
  /** Whether /proc can tell one process from a later one with the same pid (Linux). */
  procFs: boolean;
  /** The sweep that launched the server still runs (same pid and start time). */
  ownerAlive: boolean;
  /** Some process of the server's process group is alive. */
  groupAlive: boolean;
  /** The start time of the process holding the recorded pid now; undefined when none does. */
  leaderStartTime?: string;
}

/** What to do with a recorded server. */
export type RecoveryAction =
  | { kind: "keep" }
  | { kind: "forget" }
  | { kind: "gone" }
  | { kind: "stop" }
  | { kind: "refuse"; message: string };

/**
 * Decides what to do with a server an earlier sweep recorded: leave it to the sweep that runs it (or to the host it
 * runs on), forget a record whose pid another process holds now (or that an earlier boot wrote), clear up after a
 * server that is gone (`gone`: a docker recipe's container may outlive `docker run`), stop a server whose sweep is
 * gone, or refuse where this system cannot tell that the process group is still that server.
 * @example recoveryAction(record, { host: record.host, procFs: true, ownerAlive: false, groupAlive: true, leaderStartTime: record.startTime }) // { kind: "stop" }
 */
export function recoveryAction(
  record: ServerRecord,
  seen: RecordObservation,
  path = "server.state",
): RecoveryAction {
  // another node's (Slurm jobs share the output folder): its pids mean nothing here
  if (record.host !== seen.host) return { kind: "keep" };
  if (record.bootId && seen.bootId && record.bootId !== seen.bootId) return { kind: "forget" };
  if (seen.ownerAlive) return { kind: "keep" };
  if (!seen.groupAlive) return { kind: "gone" };
  if (seen.procFs) {
    // Linux gives no process a pid that is still some live process group's id: the group is the server's
    if (seen.leaderStartTime === undefined) return { kind: "stop" };
    if (record.startTime !== undefined)
      return seen.leaderStartTime === record.startTime ? { kind: "stop" } : { kind: "forget" };
  }
  const port = record.port !== undefined ? `, port ${record.port}` : "";
  return {
    kind: "refuse",
    message: `${path}: server ${record.server} (pid ${record.pid}${port}), started by an earlier sweep that did not stop it, may still run, and this system cannot check that process group ${record.pid} is still that server; stop it with "kill -TERM -- -${record.pid}" (or, if it is not, delete ${path}) and run again`,
  };
}

/** Whether the machine was booted since the record was written (its processes are all gone). */
function bootedSince(record: ServerRecord): boolean {
  const boot = bootId();
  return record.bootId !== undefined && boot !== undefined && record.bootId !== boot;
}

function observe(record: ServerRecord): RecordObservation {
  const leaderStartTime = processStartTime(record.pid);
  const boot = bootId();
  return {
    host: hostname(),
    ...(boot ? { bootId: boot } : {}),
    procFs: hasProcFs(),
    ownerAlive: sameProcessAlive(record.owner.pid, record.owner.startTime),
    groupAlive: groupAlive(record.pid),
    ...(leaderStartTime !== undefined ? { leaderStartTime } : {}),
  };
}

const POLL_MS = 100;
/** How long a process group has to vanish after SIGKILL. */
const KILL_WAIT_MS = 5_000;

/** The strays a record lists (`ServerRecord.strays`), those that are well formed. */
const recordedStrays = (record: ServerRecord): ProcessEntry[] =>
  (Array.isArray(record.strays) ? record.strays : []).filter(
    (p) =>
      Number.isSafeInteger(p?.pid) &&
      p.pid > 1 &&
      Number.isSafeInteger(p.pgid) &&
      typeof p.startTime === "string",
  );

/**
 * The server's processes outside its group that may still run: those its record lists and those that carry its
 * cookie (`SERVER_COOKIE_VAR`), found wherever their parents went, even if the sweep never noted them.
 */
const leftStrays = (record: ServerRecord): ProcessEntry[] => [
  ...recordedStrays(record),
  ...(record.cookie ? cookieStrays(record.pid, record.cookie) : []),
];

/** Whether the group (when given), and each of its strays, is gone within `ms` (polled). */
async function waitGone(
  pgid: number | undefined,
  strays: readonly ProcessEntry[],
  ms: number,
): Promise<boolean> {
  for (let waited = 0; ; waited += POLL_MS) {
    if ((pgid === undefined || !groupAlive(pgid)) && !straysAlive(strays)) return true;
    if (waited >= ms) return false;
    await sleep(POLL_MS);
  }
}

/**
 * SIGTERM to a process group and to the server's processes that left it (`setsid`, double-forked daemons), SIGKILL
 * after `graceMs`; whether SIGKILL was needed. With `group` false (the group's id is another group's now: the server
 * is gone and its pid was reused) only the strays are signalled.
 */
async function stopGroup(record: ServerRecord, graceMs: number, group = true): Promise<boolean> {
  // the parent links lead from the server only while it is the process its record names (its pid may be another's)
  const leader = group && sameProcessAlive(record.pid, record.startTime);
  const strays = [...(leader ? groupStrays(record.pid) : []), ...leftStrays(record)];
  const pgid = group ? record.pid : undefined;
  signalTree(pgid, strays, "SIGTERM");
  if (await waitGone(pgid, strays, graceMs)) return false;
  signalTree(pgid, strays, "SIGKILL");
  if (await waitGone(pgid, strays, KILL_WAIT_MS)) return true;
  throw new SweepError(
    `server ${record.server} (process group ${record.pid}), left running by an earlier sweep, survived SIGKILL; stop it by hand before running the sweep again`,
  );
}

function removeContainer(name: string): Promise<void> {
  return new Promise((resolve) => {
    execFile("docker", ["rm", "-f", name], { timeout: 30_000 }, () => resolve());
  });
}

/**
 * Before a sweep launches anything in `outputDir`: stops each server that an earlier sweep there recorded and
 * left running when it was killed (SIGTERM to its process group, SIGKILL after `graceMs`; a docker recipe's
 * container is removed), with a `server-recovered` event each, and forgets records of servers that are gone.
 * Servers of a sweep that still runs, or of another host, are left alone, and so is the container of a gone server
 * that a live `docker run` holds (another sweep's of the same name). A `server.state` that cannot be read is a
 * `warning` event. Throws a SweepError (before anything starts) when a recorded process group lives and this
 * system cannot tell that it is still the server.
 */
export async function recoverServers(
  outputDir: string,
  o: { graceMs: number; emit?: (event: SweepEvent) => void },
): Promise<void> {
  for (const file of await readServerRecords(outputDir)) {
    const { path, record } = file;
    if (!record) {
      // said, not fatal: nothing is signalled on the strength of a file that cannot be read
      o.emit?.({
        kind: "warning",
        message: `${path}: ${file.problem}; a server an earlier sweep recorded there is not checked or stopped (if one still runs, stop it; then delete the file)`,
      });
      continue;
    }
    const action = recoveryAction(record, observe(record), path);
    if (action.kind === "keep") continue;
    if (action.kind === "refuse") throw new SweepError(action.message);
    // a container outlives its docker run only when that client was killed on its own; a container of the same name
    // that a live client holds belongs to a sweep that runs now (on the same port, from another output folder)
    if (
      action.kind === "gone" &&
      record.container &&
      containerClientAlive(record.container) !== true
    )
      await removeContainer(record.container);
    // a server that exited (its sweep was killed) can leave workers that had left its group: recorded, or found by
    // its cookie; also where its pid is another process's now (not where an earlier boot wrote the record)
    const reused = action.kind === "forget" && !bootedSince(record);
    const strays = (action.kind === "gone" || reused) && straysAlive(leftStrays(record));
    if (action.kind === "stop" || strays) {
      const killed = await stopGroup(record, o.graceMs, !reused);
      // (a gone server's container was dealt with above)
      if (action.kind === "stop" && record.container) await removeContainer(record.container);
      o.emit?.({
        kind: "server-recovered",
        server: record.server,
        pid: record.pid,
        ...(record.port !== undefined ? { port: record.port } : {}),
        killed,
      });
    }
    // its scratch folder, which the killed sweep could not remove (only one in this machine's temporary folder)
    await removeScratchDir(record.scratchDir);
    await removeServerRecord(path, record.pid);
  }
}
