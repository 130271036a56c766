import { descendants, type ProcessEntry, sameProcessAlive } from "./process-identity.js";

/*
 * A server is started as the leader of its own process group, and stopped by signalling that group. An engine's
 * worker that starts a session of its own (`setsid`, `start_new_session=True`) leaves the group, and a group signal
 * misses it and what it starts. These find such workers through the parent links while the server still runs, and
 * signal them by pid, each checked by its start time first.
 */

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
 * Sends `signal` to process group `pgid` and to each of `strays` that is still the process it was; a stray that
 * leads a group of its own (a setsid'd worker) gets it as a group, so what it started since is signalled too.
 */
export function signalTree(
  pgid: number,
  strays: readonly ProcessEntry[],
  signal: NodeJS.Signals,
): void {
  kill(-pgid, signal);
  for (const p of strays) {
    if (!sameProcessAlive(p.pid, p.startTime)) continue;
    kill(p.pgid === p.pid ? -p.pid : p.pid, signal);
  }
}

/** Whether any of `strays` is still the process it was. */
export const straysAlive = (strays: readonly ProcessEntry[]): boolean =>
  strays.some((p) => sameProcessAlive(p.pid, p.startTime));
