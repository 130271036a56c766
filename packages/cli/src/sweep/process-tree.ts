import { randomUUID } from "node:crypto";
import {
  descendants,
  type ProcessEntry,
  processesWithEnv,
  sameProcessAlive,
} from "./process-identity.js";

/*
 * A server is started as the leader of its own process group, and stopped by signalling that group. An engine's
 * worker that starts a session of its own (`setsid`, `start_new_session=True`) leaves the group, and a group signal
 * misses it and what it starts. These find such workers through the parent links while the server still runs, and
 * through the cookie in the environment every process of the server inherits, even once their parents are gone
 * (a double-forked daemon, a worker of a server that exited), and signal them by pid, each checked by its start
 * time first.
 */

/**
 * The environment variable that marks every process a server started: a value of its own for each launch, inherited
 * by every descendant (workers, double-forked daemons handed to init), so they can be found when the parent links
 * no longer lead to them (as build servers' process-tree killers do).
 */
export const SERVER_COOKIE_VAR = "INFERMARK_SERVER_COOKIE";

/** A new cookie for one server launch. */
export const newServerCookie = (): string => randomUUID();

/**
 * The processes outside process group `pgid` that carry the server's cookie (`SERVER_COOKIE_VAR`), wherever their
 * parents went.
 */
export const cookieStrays = (pgid: number, cookie: string): ProcessEntry[] =>
  processesWithEnv(`${SERVER_COOKIE_VAR}=${cookie}`).filter((p) => p.pgid !== pgid);

/**
 * A server's processes outside its group: descendants found by the parent links (`groupStrays`) and, with its
 * cookie, every process that carries it; each once.
 */
export function serverStrays(pgid: number, cookie?: string): ProcessEntry[] {
  const found = new Map<string, ProcessEntry>();
  for (const p of groupStrays(pgid)) found.set(`${p.pid}:${p.startTime}`, p);
  if (cookie) for (const p of cookieStrays(pgid, cookie)) found.set(`${p.pid}:${p.startTime}`, p);
  return [...found.values()];
}

/**
 * The descendants of process group leader `pgid` that are in another process group now (see `descendants`).
 * @example groupStrays(server.pid) // [{ pid: 4242, pgid: 4242, startTime: "1734617" }] for a setsid'd worker
 */
export const groupStrays = (pgid: number): ProcessEntry[] =>
  descendants(pgid).filter((p) => p.pgid !== pgid);

function kill(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // gone already
  }
}

/**
 * Sends `signal` to process group `pgid` (none: undefined, where that id is another group's now) and to each of
 * `strays` that is still the process it was; a stray that leads a group of its own (a setsid'd worker) gets it as a
 * group, so what it started since is signalled too.
 */
export function signalTree(
  pgid: number | undefined,
  strays: readonly ProcessEntry[],
  signal: NodeJS.Signals,
): void {
  if (pgid !== undefined) kill(-pgid, signal);
  for (const p of strays) {
    if (!sameProcessAlive(p.pid, p.startTime)) continue;
    kill(p.pgid === p.pid ? -p.pid : p.pid, signal);
  }
}

/** Whether any of `strays` is still the process it was. */
export const straysAlive = (strays: readonly ProcessEntry[]): boolean =>
  strays.some((p) => sameProcessAlive(p.pid, p.startTime));
