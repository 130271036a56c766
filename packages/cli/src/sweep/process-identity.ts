import { readdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";

/*
 * What Linux's /proc says about a process, so that a pid written down by an earlier sweep can be checked before it
 * is signalled: the same pid with another start time is another process. Elsewhere these return undefined and the
 * caller cannot tell, which it must treat as "not known to be ours".
 */

/** The fields of `/proc/<pid>/stat` after the command name (which may hold spaces and parentheses). */
function statFields(pid: number | "self"): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** The pids /proc lists now (every process's folder); undefined where there is no /proc to read. */
function procPids(): number[] | undefined {
  try {
    return readdirSync("/proc").flatMap((entry) => (/^\d+$/.test(entry) ? [Number(entry)] : []));
  } catch {
    return undefined;
  }
}

/**
 * When a process started, in clock ticks since boot (`/proc/<pid>/stat` field 22), as text; undefined when the
 * process does not exist or this system has no /proc.
 * @example processStartTime(process.pid) // "1734617"
 */
export function processStartTime(pid: number): string | undefined {
  // field 22 of the line is the 20th after the command name (which is field 2; state is field 3)
  return statFields(pid)?.[19];
}

/** This boot's id (`/proc/sys/kernel/random/boot_id`): start times count from the boot. */
export function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Whether this system has /proc to check processes against (Linux). */
export const hasProcFs = (): boolean => statFields("self") !== undefined;

/**
 * Whether any process of process group `pgid` is alive. With /proc, a group whose processes are all zombies
 * (exited, not yet reaped by a parent that does not reap) counts as gone; without it, the group exists if it can
 * be signalled (or exists under another user: EPERM).
 */
export function groupAlive(pgid: number): boolean {
  if (hasProcFs()) {
    for (const pid of procPids() ?? []) {
      const f = statFields(pid);
      // f[0] is the state, f[2] the process group
      if (f && Number(f[2]) === pgid && f[0] !== "Z" && f[0] !== "X") return true;
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A process as /proc gives it: enough to signal it later and to tell it from a process given its pid since. */
export interface ProcessEntry {
  pid: number;
  pgid: number;
  /** `processStartTime`'s clock ticks since boot. */
  startTime: string;
}

/**
 * Every live process that descends from `rootPid` (its children, their children, ...; not the root), by the parent
 * links in /proc, whatever process group or session each is in now. Empty without /proc. A process whose parent
 * exited has been handed to init (or a subreaper) and is no longer found from the root.
 * @example descendants(server.pid).filter((p) => p.pgid !== server.pid) // the workers that left its group (setsid)
 */
export function descendants(rootPid: number): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const pid of procPids() ?? []) {
    const f = statFields(pid);
    // f[0] the state, f[1] the parent, f[2] the process group, f[19] the start time
    if (!f || f[0] === "Z" || f[0] === "X") continue;
    const ppid = Number(f[1]);
    const list = children.get(ppid) ?? [];
    list.push({ pid, pgid: Number(f[2]), startTime: f[19]! });
    children.set(ppid, list);
  }
  const out: ProcessEntry[] = [];
  const seen = new Set<number>([rootPid]);
  for (let queue = [rootPid]; queue.length > 0; ) {
    const next: number[] = [];
    for (const pid of queue) {
      for (const child of children.get(pid) ?? []) {
        if (seen.has(child.pid)) continue;
        seen.add(child.pid);
        out.push(child);
        next.push(child.pid);
      }
    }
    queue = next;
  }
  return out;
}

/**
 * Every live process (other than this one) whose environment, as it started, holds the entry `entry`
 * (`NAME=value`), whatever became of its parent, process group or session: an environment is inherited by every
 * descendant, double-forked daemons included, and outlives their parents. Processes of other users, whose
 * environment cannot be read, are left out; empty without /proc.
 * @example processesWithEnv("INFERMARK_SERVER_COOKIE=1f0e...") // the server and everything it started
 */
export function processesWithEnv(entry: string): ProcessEntry[] {
  const wanted = Buffer.from(`${entry}\0`);
  const out: ProcessEntry[] = [];
  for (const pid of procPids() ?? []) {
    if (pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue; // gone, or another user's
    }
    // the entry whole: at the start, or right after the NUL that ends the one before
    let at = environ.indexOf(wanted);
    while (at > 0 && environ[at - 1] !== 0) at = environ.indexOf(wanted, at + 1);
    if (at < 0) continue;
    const f = statFields(pid);
    if (!f || f[0] === "Z" || f[0] === "X") continue;
    out.push({ pid, pgid: Number(f[2]), startTime: f[19]! });
  }
  return out;
}

/** Whether process `pid` is alive and, when its start time was recorded and can be read, is the same process. */
export function sameProcessAlive(pid: number, startTime: string | undefined): boolean {
  if (hasProcFs()) {
    const f = statFields(pid);
    // a zombie has exited: only its parent's wait is missing
    if (!f || f[0] === "Z" || f[0] === "X") return false;
    return startTime === undefined || f[19] === startTime;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether a live process other than this one runs with `--name <container>` on its command line: a `docker run`
 * client attached to that container (or the shell that started it), so the container is that client's, not an
 * orphan. Undefined where there is no /proc to look in.
 * @example containerClientAlive("infermark-dsr1-h200-vllm-fp8-tp8-1k1k-8000") // false once its docker run is gone
 */
export function containerClientAlive(container: string): boolean | undefined {
  if (!hasProcFs()) return undefined;
  const pids = procPids();
  if (!pids) return undefined;
  for (const pid of pids) {
    if (pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    // argv is NUL-separated; a shell's `-c` string holds the docker command as one argument
    const words = cmdline.split(/[\0\s]+/);
    for (let i = 0; i < words.length; i++) {
      if (words[i] === `--name=${container}`) return true;
      if (words[i] === "--name" && words[i + 1] === container) return true;
    }
  }
  return false;
}

/** A process as another process (or a later one, on any host sharing the folder) can find it again. */
export interface ProcessMark {
  host: string;
  bootId?: string;
  pid: number;
  /** Its start time (`processStartTime`), telling it from a later process given the same pid. */
  startTime?: string;
}

/** This process's mark. */
export function thisProcessMark(): ProcessMark {
  const boot = bootId();
  const startTime = processStartTime(process.pid);
  return {
    host: hostname(),
    ...(boot ? { bootId: boot } : {}),
    pid: process.pid,
    ...(startTime ? { startTime } : {}),
  };
}

/**
 * Whether the process a mark names is alive: checked on this host (a mark from an earlier boot is gone), undefined
 * for a mark of another host, which cannot be asked.
 */
export function markAlive(mark: ProcessMark): boolean | undefined {
  if (mark.host !== hostname()) return undefined;
  const boot = bootId();
  if (mark.bootId && boot && mark.bootId !== boot) return false;
  return sameProcessAlive(mark.pid, mark.startTime);
}
