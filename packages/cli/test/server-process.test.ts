import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { descendants, processStartTime, sameProcessAlive } from "../src/sweep/process-identity.js";
import { signalTree } from "../src/sweep/process-tree.js";
import { ServerProcess } from "../src/sweep/server-process.js";
import { tempDir } from "./helpers.js";

/** The process group of a live process (`/proc/<pid>/stat` field 5). */
const pgidOf = (pid: number): number => {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[2]);
};

/** Whether a process is gone (or a zombie) within 2 s: a signal is delivered asynchronously. */
async function goneSoon(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if (!sameProcessAlive(pid, undefined)) return true;
    await sleep(50);
  }
  return false;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn("true");
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

/** Waits for a file a process writes its pid to. */
async function pidFrom(path: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const text = await readFile(path, "utf8").catch(() => "");
    if (text.trim()) return Number(text.trim());
    await sleep(25);
  }
  throw new Error(`${path} was never written`);
}

/**
 * A server whose worker starts a session of its own (setsid), as some engines' workers do, and ignores SIGTERM;
 * the worker writes its pid to `pidFile`, and starts a child in its own new group.
 */
const serverWithStray = (pidFile: string) =>
  `setsid bash -c 'trap "" TERM; echo $$ > ${pidFile}; sleep 300 & wait' & sleep 300`;

describe.runIf(process.platform === "linux")("stopping a server process", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const strays: number[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-server-process-"));
  });
  afterAll(async () => {
    for (const pid of strays) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // stopped, as it should be
      }
    }
    await cleanup();
  });

  it("also stops an engine worker that left the server's process group (setsid), SIGKILL after the grace", async () => {
    const pidFile = join(dir, "worker.pid");
    const server = await ServerProcess.launch({
      command: serverWithStray(pidFile),
      logPath: join(dir, "server.log"),
    });
    const worker = await pidFrom(pidFile);
    strays.push(worker);
    const workerChild = descendants(worker)[0]!;
    // the premise: a signal to the server's group would miss the worker and its child
    expect(pgidOf(worker)).toBe(worker);
    expect(pgidOf(worker)).not.toBe(server.pid);
    expect(workerChild.pgid).toBe(worker);

    const { exit } = await server.stop(500);
    expect(exit.signal).toBe("SIGTERM");
    expect(await goneSoon(worker)).toBe(true);
    expect(await goneSoon(workerChild.pid)).toBe(true);
  });

  it("stops a worker that left the group even after the server exited, when it was noted while the server ran", async () => {
    const pidFile = join(dir, "orphan.pid");
    // the server starts a worker in a session of its own, then exits (an API server that crashed)
    const server = await ServerProcess.launch({
      command: `setsid bash -c 'echo $$ > ${pidFile}; sleep 300' & sleep 0.5; exit 3`,
      logPath: join(dir, "orphan.log"),
    });
    const worker = await pidFrom(pidFile);
    strays.push(worker);
    expect(server.noteStrays().map((p) => p.pid)).toEqual([worker]);
    await server.exited;
    // handed to init: no longer found from the server, but noted
    expect(descendants(server.pid!)).toEqual([]);
    await server.stop(500);
    expect(await goneSoon(worker)).toBe(true);
  });

  it("finds and stops a daemon the server double-forked (handed to init at once) by the cookie it inherited", async () => {
    const pidFile = join(dir, "daemon.pid");
    const server = await ServerProcess.launch({
      command: `( setsid bash -c 'trap "" TERM; echo $$ > ${pidFile}; exec sleep 300' & ); sleep 300`,
      logPath: join(dir, "daemon.log"),
    });
    const daemon = await pidFrom(pidFile);
    strays.push(daemon);
    // no parent link leads to it
    expect(descendants(server.pid!).map((p) => p.pid)).not.toContain(daemon);
    expect(server.noteStrays().map((p) => p.pid)).toEqual([daemon]);
    await server.stop(500);
    expect(await goneSoon(daemon)).toBe(true);
  });

  it("stops a worker in the server's own process group, as before", async () => {
    const pidFile = join(dir, "in-group.pid");
    const server = await ServerProcess.launch({
      command: `bash -c 'echo $$ > ${pidFile}; sleep 300' & wait`,
      logPath: join(dir, "in-group.log"),
    });
    const child = await pidFrom(pidFile);
    expect(pgidOf(child)).toBe(server.pid);
    await server.stop(2000);
    expect(await goneSoon(child)).toBe(true);
  });

  it("never signals a pid whose process started at another time than the stray recorded (pid reuse)", async () => {
    const other = spawn("sleep", ["300"], { detached: true, stdio: "ignore" });
    await new Promise((resolve) => other.once("spawn", resolve));
    strays.push(other.pid!);
    const recorded = { pid: other.pid!, pgid: other.pid!, startTime: "1" };
    signalTree(await deadPid(), [recorded], "SIGKILL");
    await sleep(200);
    expect(sameProcessAlive(other.pid!, processStartTime(other.pid!))).toBe(true);
    const real = { ...recorded, startTime: processStartTime(other.pid!)! };
    signalTree(await deadPid(), [real], "SIGKILL");
    expect(await goneSoon(other.pid!)).toBe(true);
  });
});
