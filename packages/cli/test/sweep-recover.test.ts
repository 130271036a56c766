import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { freePort, portInUse } from "../src/sweep/free-port.js";
import { descendants, groupAlive, processStartTime } from "../src/sweep/process-identity.js";
import { SERVER_COOKIE_VAR } from "../src/sweep/process-tree.js";
import { recoverServers } from "../src/sweep/recover-servers.js";
import {
  claimServerRecord,
  newServerRecord,
  type ServerRecord,
  serverRecordPath,
  writeServerRecord,
} from "../src/sweep/server-record.js";
import type { SweepEvent } from "../src/sweep/types.js";
import { runCli, spawnCli, tempDir } from "./helpers.js";
import { TINY_CATALOG, tinySpec } from "./tiny-spec.js";

/** The shared engine spec at one level of `requests` requests of `osl` tokens. */
const recoverSpec = (port: number, osl: number, requests: number) =>
  tinySpec(port, {
    name: "recover",
    scenarios: [{ isl: 32, osl, rangeRatio: 1 }],
    search: { tp: [1], concurrency: [1] },
    limits: { requests, warmupPerConcurrency: 0, stopGraceS: 2, requestTimeoutS: 60 },
  });

/** A process in a process group of its own, as the sweep starts servers. */
function groupLeader(): Promise<ChildProcess> {
  const child = spawn("sleep", ["120"], { detached: true, stdio: "ignore" });
  return new Promise((resolve, reject) => {
    child.once("spawn", () => resolve(child));
    child.once("error", reject);
  });
}

/** The pid of a process that has exited (a sweep that was killed). */
async function deadPid(): Promise<number> {
  const child = spawn("true");
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const env = { INFERMARK_CATALOG: TINY_CATALOG };

describe("a server left running by a killed sweep", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const leaders: ChildProcess[] = [];
  /** Process groups a failing test could leave behind. */
  const groups: number[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-recover-"));
  });
  afterAll(async () => {
    for (const l of leaders) if (l.exitCode === null && l.signalCode === null) l.kill("SIGKILL");
    for (const g of groups) if (groupAlive(g)) process.kill(-g, "SIGKILL");
    await cleanup();
  });

  /** A sweep of minutes of load (100 requests of 2000 streamed tokens), once its first point is measuring. */
  async function longSweep(name: string, prelude = "") {
    const port = await freePort();
    const specPath = join(dir, `${name}.yaml`);
    const out = join(dir, name);
    const spec = recoverSpec(port, 2000, 100);
    spec.server.command = `${prelude}${spec.server.command}`;
    await writeFile(specPath, stringify(spec));
    const sweep = spawnCli(["sweep", specPath, "--output-dir", out, "--no-ingest"], { env });
    let stderr = "";
    await new Promise<void>((resolve) => {
      sweep.stderr.on("data", (d) => {
        stderr += d;
        if (stderr.includes("measure ")) resolve();
      });
    });
    return { sweep, port, specPath, out };
  }

  it("SIGKILL of the sweep leaves its server up; the next sweep in the folder stops it before it starts one", async () => {
    const { sweep, port, specPath, out } = await longSweep("killed");
    const first = "tiny-h200-vllm-fp8-tp1-32x2000";
    const record = JSON.parse(await readFile(serverRecordPath(out, first), "utf8")) as ServerRecord;
    groups.push(record.pid);
    expect([record.server, record.port, record.owner.pid]).toEqual([first, port, sweep.pid]);
    const closed = new Promise((resolve) => sweep.on("close", resolve));
    sweep.kill("SIGKILL");
    await closed;
    // SIGKILL cannot be caught: the server, in its own process group, is still there, and so is its scratch folder
    expect([groupAlive(record.pid), await portInUse(port)]).toEqual([true, true]);
    expect(record.scratchDir?.startsWith(join(tmpdir(), `infermark-${first}-`))).toBe(true);
    expect((await stat(record.scratchDir!)).isDirectory()).toBe(true);

    // a short run of the same folder on the same port
    await writeFile(specPath, stringify(recoverSpec(port, 8, 2)));
    const r = await runCli(["sweep", specPath, "--output-dir", out, "--no-ingest"], { env });
    expect(r.stderr.split("\n")[0]).toBe(
      `infermark: stopped ${first} (process group ${record.pid}, port ${port}), left running by an earlier sweep that was killed`,
    );
    expect([r.code, r.stdout]).toEqual([
      0,
      `1 measured, 0 already measured, 0 failed; results in ${out}\n`,
    ]);
    // (gone, or a zombie until whoever inherited it reaps it)
    expect(groupAlive(record.pid)).toBe(false);
    await expect(stat(record.scratchDir!)).rejects.toThrow(/ENOENT/);
    const log = await readFile(join(out, first, "server.log"), "utf8");
    expect(log).toContain("engine: SIGTERM, shutting down");
    // no server is recorded once the sweep has stopped its own
    const dirs = await readdir(out);
    for (const d of dirs) expect(await readdir(join(out, d))).not.toContain("server.state");
    expect(await portInUse(port)).toBe(false);
  }, 60_000);

  it("a second sweep of the same configuration in the same folder leaves it to the sweep running it", async () => {
    const { sweep: first, specPath, out } = await longSweep("twice");
    const server = "tiny-h200-vllm-fp8-tp1-32x2000";
    const statePath = serverRecordPath(out, server);
    const before = await readFile(statePath, "utf8");
    try {
      const r = await runCli(["sweep", specPath, "--output-dir", out, "--no-ingest"], { env });
      const record = JSON.parse(before) as ServerRecord;
      groups.push(record.pid);
      const reason = `another sweep (pid ${first.pid}) is running server ${server} in this output folder now (since ${record.date}); let it finish, or give this sweep another --output-dir`;
      // before: "port N is already in use by another process", and with a free port the record was overwritten
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(reason);
      // the first sweep's record and server are untouched; no failure record sits beside its coming results
      expect(await readFile(statePath, "utf8")).toBe(before);
      expect(groupAlive(record.pid)).toBe(true);
      expect((await readdir(join(out, server))).filter((f) => f.endsWith(".failed.json"))).toEqual(
        [],
      );
    } finally {
      const closed = new Promise((resolve) => first.on("close", resolve));
      first.kill("SIGTERM");
      await closed;
    }
  }, 60_000);

  it("takes a server record exclusively: a live sweep's is kept, a gone sweep's is replaced", async () => {
    const path = serverRecordPath(join(dir, "claim"), "server");
    const owner = await groupLeader();
    leaders.push(owner);
    const mine = newServerRecord({ server: "server", pid: 4242, port: 2 });
    const live = {
      ...newServerRecord({ server: "server", pid: 4343, port: 1 }),
      owner: { pid: owner.pid!, startTime: processStartTime(owner.pid!)! },
    };
    await writeServerRecord(path, live);
    expect(await claimServerRecord(path, mine)).toEqual(live);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual(live);
    await writeServerRecord(path, { ...live, owner: { pid: await deadPid() } });
    expect(await claimServerRecord(path, mine)).toBeUndefined();
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual(mine);
    // and no temporary file is left
    expect(await readdir(join(dir, "claim", "server"))).toEqual(["server.state"]);
  });

  it("stops a recorded process group only when it is still the recorded process and its sweep is gone", async () => {
    const out = join(dir, "records");
    const events: SweepEvent[] = [];
    const [reused, orphan, owned] = [await groupLeader(), await groupLeader(), await groupLeader()];
    leaders.push(reused, orphan, owned);
    const gone = await deadPid();
    const recordOf = (server: string, child: ChildProcess, over: Partial<ServerRecord> = {}) => {
      const r = newServerRecord({ server, pid: child.pid!, port: 1 });
      return { ...r, owner: { pid: gone }, ...over };
    };
    // the pid now belongs to a process that started at another time: not the server, left alone
    await writeServerRecord(
      serverRecordPath(out, "reused"),
      recordOf("reused", reused, { startTime: "1" }),
    );
    await writeServerRecord(serverRecordPath(out, "orphan"), recordOf("orphan", orphan));
    // its sweep still runs (this process): its own to stop
    await writeServerRecord(
      serverRecordPath(out, "owned"),
      recordOf("owned", owned, {
        owner: { pid: process.pid, startTime: processStartTime(process.pid)! },
      }),
    );
    const orphanExit = new Promise((resolve) => orphan.once("exit", (_, s) => resolve(s)));

    await recoverServers(out, { graceMs: 2000, emit: (e) => events.push(e) });
    expect(events).toEqual([
      { kind: "server-recovered", server: "orphan", pid: orphan.pid, port: 1, killed: false },
    ]);
    expect(await orphanExit).toBe("SIGTERM");
    expect([alive(reused.pid!), alive(owned.pid!)]).toEqual([true, true]);
    expect((await readdir(join(out, "owned"))).sort()).toEqual(["server.state"]);
    expect(await readdir(join(out, "reused"))).toEqual([]);
    expect(await readdir(join(out, "orphan"))).toEqual([]);
  });

  it("also stops the server's workers that left its process group (setsid)", async () => {
    const out = join(dir, "strays");
    const pidFile = join(dir, "stray.pid");
    // a server whose worker starts a session of its own and ignores SIGTERM
    const server = spawn(
      "bash",
      ["-c", `setsid bash -c 'trap "" TERM; echo $$ > ${pidFile}; sleep 300' & sleep 300`],
      { detached: true, stdio: "ignore" },
    );
    leaders.push(server);
    groups.push(server.pid!);
    await new Promise((resolve) => server.once("spawn", resolve));
    let worker = 0;
    for (let i = 0; i < 200 && !worker; i++) {
      worker = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
      if (!worker) await sleep(25);
    }
    groups.push(worker);
    expect(groupAlive(worker)).toBe(true);
    const r = newServerRecord({ server: "strays", pid: server.pid!, port: 1 });
    await writeServerRecord(serverRecordPath(out, "strays"), {
      ...r,
      owner: { pid: await deadPid() },
    });

    await recoverServers(out, { graceMs: 500 });
    // before, only the server's own group was signalled: the worker lived on
    for (let i = 0; i < 40 && groupAlive(worker); i++) await sleep(50);
    expect([groupAlive(server.pid!), groupAlive(worker)]).toEqual([false, false]);
  });

  /**
   * SIGKILLs a long sweep, then its server's group (a crash), checks that `leftover` (a process group that left the
   * server's) runs on, runs a short sweep of the same folder; whether `leftover` is still alive after it.
   */
  async function afterKilledSweepAndServer(
    o: Omit<Awaited<ReturnType<typeof longSweep>>, "port"> & { record: ServerRecord },
    leftover: number,
  ): Promise<boolean> {
    const closed = new Promise((resolve) => o.sweep.on("close", resolve));
    o.sweep.kill("SIGKILL");
    await closed;
    // then the server itself dies; what left its group, handed to init, runs on
    process.kill(-o.record.pid, "SIGKILL");
    for (let i = 0; i < 40 && groupAlive(o.record.pid); i++) await sleep(50);
    expect([groupAlive(o.record.pid), groupAlive(leftover)]).toEqual([false, true]);
    await writeFile(o.specPath, stringify(recoverSpec(await freePort(), 8, 2)));
    const r = await runCli(["sweep", o.specPath, "--output-dir", o.out, "--no-ingest"], { env });
    expect(r.code).toBe(0);
    for (let i = 0; i < 40 && groupAlive(leftover); i++) await sleep(50);
    return groupAlive(leftover);
  }

  it("a killed sweep's server that crashed leaves a worker of its own session: the next sweep stops it", async () => {
    const pidFile = join(dir, "crash-worker.pid");
    // the engine starts a worker in a session of its own, as some engines' workers do
    const { sweep, specPath, out } = await longSweep(
      "crash",
      `setsid bash -c 'echo $$ > ${pidFile}; exec sleep 300' & `,
    );
    const worker = Number((await readFile(pidFile, "utf8")).trim());
    groups.push(worker);
    const record = JSON.parse(
      await readFile(serverRecordPath(out, "tiny-h200-vllm-fp8-tp1-32x2000"), "utf8"),
    ) as ServerRecord;
    groups.push(record.pid);
    // noted when the server was ready
    expect(record.strays?.map((p) => p.pid)).toEqual([worker]);
    expect(await afterKilledSweepAndServer({ sweep, specPath, out, record }, worker)).toBe(false);
  }, 60_000);

  it("a killed sweep's server left a double-forked daemon it never noted: the next sweep finds it by its cookie", async () => {
    const pidFile = join(dir, "daemon.pid");
    const go = join(dir, "daemon.go");
    // once the server was ready and noted (its first point is being measured), a daemon forks twice: its parent exits
    // at once, it is handed to init in a session of its own, and no parent link leads from the server to it
    const { sweep, specPath, out } = await longSweep(
      "daemon",
      `( while [ ! -e ${go} ]; do sleep 0.05; done; ( setsid bash -c 'echo $$ > ${pidFile}; exec sleep 300' & ) ) & `,
    );
    await writeFile(go, "");
    let daemon = 0;
    for (let i = 0; i < 100 && !daemon; i++) {
      daemon = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
      if (!daemon) await sleep(50);
    }
    groups.push(daemon);
    const record = JSON.parse(
      await readFile(serverRecordPath(out, "tiny-h200-vllm-fp8-tp1-32x2000"), "utf8"),
    ) as ServerRecord;
    groups.push(record.pid);
    expect(record.cookie).toMatch(/^[0-9a-f-]{36}$/);
    expect(record.strays ?? []).toEqual([]);
    expect(descendants(record.pid).map((p) => p.pid)).not.toContain(daemon);
    // before, nothing led to it: it ran on
    expect(await afterKilledSweepAndServer({ sweep, specPath, out, record }, daemon)).toBe(false);
  }, 60_000);

  it("stops the workers a server recorded as having left its group, after the server itself exited", async () => {
    const out = join(dir, "recorded-strays");
    const pidFile = join(dir, "recorded-stray.pid");
    const stray = spawn("bash", ["-c", `echo $$ > ${pidFile}; exec sleep 300`], {
      detached: true,
      stdio: "ignore",
    });
    leaders.push(stray);
    groups.push(stray.pid!);
    await new Promise((resolve) => stray.once("spawn", resolve));
    // the server (gone now) had noted it: pid, group and start time
    const r = newServerRecord({ server: "recorded-strays", pid: await deadPid(), port: 1 });
    const entry = { pid: stray.pid!, pgid: stray.pid!, startTime: processStartTime(stray.pid!)! };
    await writeServerRecord(serverRecordPath(out, "recorded-strays"), {
      ...r,
      owner: { pid: await deadPid() },
      strays: [entry, { ...entry, pid: 2 ** 22 + 7, startTime: "1" }],
    });
    const events: SweepEvent[] = [];
    await recoverServers(out, { graceMs: 500, emit: (e) => events.push(e) });
    // before: the server was gone, so its record was forgotten and the worker ran on
    for (let i = 0; i < 40 && groupAlive(stray.pid!); i++) await sleep(50);
    expect(groupAlive(stray.pid!)).toBe(false);
    expect(events.map((e) => e.kind)).toEqual(["server-recovered"]);
    expect(await readdir(join(out, "recorded-strays"))).toEqual([]);
  });

  it("a gone server whose pid another group holds now: its cookie's processes are stopped, that group is not", async () => {
    const out = join(dir, "reused-pid");
    // a daemon of the server's (it carries the server's cookie), and an unrelated group now holding the server's pid
    const cookie = "0f0e0d0c-0b0a-4908-8706-050403020100";
    const daemon = spawn("sleep", ["300"], {
      detached: true,
      stdio: "ignore",
      env: { ...process.env, [SERVER_COOKIE_VAR]: cookie },
    });
    await new Promise((resolve) => daemon.once("spawn", resolve));
    const unrelated = await groupLeader();
    leaders.push(daemon, unrelated);
    groups.push(daemon.pid!, unrelated.pid!);
    const r = newServerRecord({ server: "reused-pid", pid: unrelated.pid!, port: 1, cookie });
    await writeServerRecord(serverRecordPath(out, "reused-pid"), {
      ...r,
      startTime: "1",
      owner: { pid: await deadPid() },
    });
    const events: SweepEvent[] = [];
    await recoverServers(out, { graceMs: 500, emit: (e) => events.push(e) });
    // before: the record was forgotten, the daemon ran on
    for (let i = 0; i < 40 && groupAlive(daemon.pid!); i++) await sleep(50);
    expect([groupAlive(daemon.pid!), groupAlive(unrelated.pid!)]).toEqual([false, true]);
    expect(events.map((e) => e.kind)).toEqual(["server-recovered"]);
    expect(await readdir(join(out, "reused-pid"))).toEqual([]);
  });

  it("says in one line each which server.state files it cannot read, and goes on", async () => {
    const out = join(dir, "unreadable");
    const owned = await groupLeader();
    leaders.push(owned);
    const files: Record<string, string> = {
      truncated: '{"schema":"infermark.sweep-server/v1","server":"x","pid":',
      foreign: '{"schema":"infermark.sweep-server/v2","server":"x","pid":4242}\n',
    };
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(out, name), { recursive: true });
      await writeFile(join(out, name, "server.state"), text);
    }
    const events: SweepEvent[] = [];
    await recoverServers(out, { graceMs: 2000, emit: (e) => events.push(e) });
    const advice =
      "a server an earlier sweep recorded there is not checked or stopped (if one still runs, stop it; then delete the file)";
    expect(events).toEqual([
      {
        kind: "warning",
        message: `${join(out, "foreign", "server.state")}: not an infermark.sweep-server/v1 record; ${advice}`,
      },
      {
        kind: "warning",
        message: `${join(out, "truncated", "server.state")}: not JSON (${jsonError(files.truncated!)}); ${advice}`,
      },
    ]);
    // nothing signalled, nothing deleted
    expect(alive(owned.pid!)).toBe(true);
    expect(await readFile(join(out, "foreign", "server.state"), "utf8")).toBe(files.foreign);
  });

  it("leaves the container of a gone server to a live docker run of the same name (another sweep's)", async () => {
    const out = join(dir, "docker");
    const bin = join(dir, "docker-bin");
    const calls = join(dir, "docker-calls.txt");
    await mkdir(bin, { recursive: true });
    // docker as far as recovery uses it: each call written down
    await writeFile(join(bin, "docker"), `#!/usr/bin/env bash\necho "$*" >> ${calls}\n`);
    await chmod(join(bin, "docker"), 0o755);
    const taken = `infermark-taken-${process.pid}-8000`;
    const orphaned = `infermark-orphaned-${process.pid}-8000`;
    // a sweep in another folder runs the same configuration on the same port now: its docker run holds the name
    const client = spawn("bash", ["-c", `sleep 120; : docker run --rm --name ${taken} image`], {
      detached: true,
      stdio: "ignore",
    });
    leaders.push(client);
    groups.push(client.pid!);
    await new Promise((resolve) => client.once("spawn", resolve));
    const gone = await deadPid();
    for (const [server, container] of [
      ["taken", taken],
      ["orphaned", orphaned],
    ] as const) {
      const r = newServerRecord({ server, pid: gone, port: 8000, container });
      await writeServerRecord(serverRecordPath(out, server), { ...r, owner: { pid: gone } });
    }
    const path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path}`;
    try {
      await recoverServers(out, { graceMs: 2000 });
    } finally {
      process.env.PATH = path;
    }
    // before, both were removed: the live sweep's server with the orphan's
    expect(await readFile(calls, "utf8")).toBe(`rm -f ${orphaned}\n`);
    expect(alive(client.pid!)).toBe(true);
    expect([await readdir(join(out, "taken")), await readdir(join(out, "orphaned"))]).toEqual([
      [],
      [],
    ]);
  });
});

/** What JSON.parse says of a text. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return "";
  } catch (error) {
    return (error as Error).message;
  }
}
