import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { ProcessEntry } from "./process-identity.js";
import {
  cookieStrays,
  newServerCookie,
  SERVER_COOKIE_VAR,
  serverStrays,
  signalTree,
  straysAlive,
} from "./process-tree.js";

/** How a server process ended. */
export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchProcessOptions {
  /** A shell command (run with `bash -c`) or an argv list (run directly). */
  command: string | readonly string[];
  env?: Record<string, string>;
  cwd?: string;
  /** stdout and stderr are appended here. */
  logPath: string;
  /** A line written to the log before the server's own output. */
  header?: string;
}

/** Launched servers whose process has not exited yet. */
const live = new Set<ServerProcess>();

/**
 * A launched server: its own process group, so that stopping it also stops what it started (a shell's children,
 * `docker run`, an engine's workers).
 */
export class ServerProcess {
  private exitInfo?: ServerExit;
  /** Descendants seen outside the process group, by pid and start time (`noteStrays`). */
  private readonly strays = new Map<string, ProcessEntry>();
  readonly exited: Promise<ServerExit>;

  private constructor(
    private readonly child: ChildProcess,
    readonly logPath: string,
    /** The value of SERVER_COOKIE_VAR in the server's environment, which every process it starts inherits. */
    readonly cookie: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  /** Starts the process; resolves once it is spawned (a missing binary rejects). */
  static async launch(options: LaunchProcessOptions): Promise<ServerProcess> {
    const fd = openSync(options.logPath, "a");
    if (options.header) writeSync(fd, `${options.header}\n`);
    const [file, args] =
      typeof options.command === "string"
        ? ["bash", ["-c", options.command]]
        : [options.command[0]!, options.command.slice(1)];
    const cookie = newServerCookie();
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        cwd: options.cwd,
        env: { ...process.env, ...options.env, [SERVER_COOKIE_VAR]: cookie },
        stdio: ["ignore", fd, fd],
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
    const server = new ServerProcess(child, options.logPath, cookie);
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", reject);
    });
    live.add(server);
    void server.exited.then(() => live.delete(server));
    return server;
  }

  /**
   * Sends SIGTERM to the process group of every server still running, without waiting: on a forced exit (a second
   * Ctrl-C) the servers are in their own process groups, so nothing else would stop them.
   */
  static terminateAll(): void {
    for (const server of live)
      if (server.pid !== undefined)
        signalTree(server.pid, serverStrays(server.pid, server.cookie), "SIGTERM");
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the process ended, or undefined while it runs. */
  get exit(): ServerExit | undefined {
    return this.exitInfo;
  }

  /**
   * Looks for the server's processes that left its process group (`serverStrays`: by the parent links while the
   * server runs, and by its cookie) and keeps them, so that they are in `server.state` should the sweep be killed
   * (the sweep notes them when the server is ready and after each point). Returns every stray noted so far.
   */
  noteStrays(): ProcessEntry[] {
    const pid = this.child.pid;
    if (pid === undefined) return [];
    // once the server exited, its pid may be another process's: only the cookie still leads to its own
    const found = this.exitInfo ? cookieStrays(pid, this.cookie) : serverStrays(pid, this.cookie);
    for (const p of found) this.strays.set(`${p.pid}:${p.startTime}`, p);
    return [...this.strays.values()];
  }

  /**
   * Stops the whole process group, and the server's processes that left it (`setsid`, double-forked daemons): those
   * found now (by the parent links and by the cookie) and those noted before (`noteStrays`), each checked by its
   * start time; SIGTERM, then SIGKILL after `graceMs` to what is
   * still there. Returns how the server ended and whether it had to be killed.
   */
  async stop(graceMs: number): Promise<{ exit: ServerExit; killed: boolean }> {
    const pid = this.child.pid;
    if (pid === undefined) return { exit: await this.exited, killed: false };
    // the parent links end with the server: taken before it is signalled
    const strays = this.noteStrays();
    if (this.exitInfo) {
      signalTree(pid, strays, "SIGKILL"); // children may outlive the group leader
      return { exit: this.exitInfo, killed: false };
    }
    const deadline = performance.now() + graceMs;
    signalTree(pid, strays, "SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    // the server is gone: its strays have what is left of the grace to finish
    while (!timedOut && straysAlive(strays) && performance.now() < deadline) await sleep(50);
    signalTree(pid, strays, "SIGKILL");
    return { exit: await this.exited, killed: timedOut };
  }
}

/** The last `lines` lines of a log file (empty when it cannot be read). */
export async function logTail(path: string, lines = 40, maxBytes = 64 * 1024): Promise<string> {
  try {
    const handle = await open(path, "r");
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, maxBytes);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return buffer
        .toString("utf8")
        .split("\n")
        .slice(-lines - 1)
        .join("\n")
        .trimEnd();
    } finally {
      await handle.close();
    }
  } catch {
    return "";
  }
}

/** Describes an exit for a failure reason: `exit code 1`, `signal SIGKILL`. */
export const describeExit = (exit: ServerExit): string =>
  exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
