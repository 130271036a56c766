import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { spawnCli, tempDir } from "./helpers.js";
import { simSpec } from "./sim-spec.js";

/** A simulator sweep of one point: DeepSeek-R1 on 8 H200 at batch 1, real time, requests of 2,000 output tokens. */
const longSimSpec = (over: Record<string, unknown> = {}) =>
  simSpec({
    name: "hangup",
    scenarios: [{ isl: 256, osl: 2000, rangeRatio: 1 }],
    server: { kind: "simulator", speed: 1 },
    limits: { requests: 20, warmupPerConcurrency: 0, requestTimeoutS: 600, stopGraceS: 5 },
    ...over,
  });

const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("infermark sweep on SIGHUP (the terminal closed, an ssh session dropped)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  /** Server process groups to kill should a sweep leave one running. */
  const groups: number[] = [];
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-hangup-"));
  });
  afterAll(async () => {
    for (const g of groups) if (groupAlive(g)) process.kill(-g, "SIGKILL");
    await cleanup();
  });

  /**
   * Starts the long sweep, waits until it measures, reads the pid of the server it started from `server.state`,
   * optionally closes the sweep's stdout and stderr (their reader is gone, as a closed terminal's), sends SIGHUP, and
   * returns the sweep's exit, what it wrote to stderr and whether the server's process group ended.
   */
  async function hangUp(name: string, closeOutput: boolean) {
    const specPath = join(dir, `${name}.yaml`);
    await writeFile(specPath, stringify(longSimSpec()));
    const out = join(dir, name);
    const child = spawnCli(["sweep", specPath, "--output-dir", out, "--no-ingest"]);
    let stderr = "";
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((res) =>
      child.on("exit", (code, signal) => res([code, signal])),
    );
    await new Promise<void>((res) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        if (stderr.includes("measure ")) res();
      });
    });
    const [serverDir] = (await readdir(out, { withFileTypes: true })).filter((e) =>
      e.isDirectory(),
    );
    const record = JSON.parse(await readFile(join(out, serverDir!.name, "server.state"), "utf8"));
    const pid = record.pid as number;
    groups.push(pid);
    expect(groupAlive(pid)).toBe(true);
    if (closeOutput) {
      child.stdout.destroy();
      child.stderr.destroy();
    }
    child.kill("SIGHUP");
    const exit = await exited;
    let alive = true;
    for (let i = 0; i < 100 && alive; i++) {
      await sleep(100);
      alive = groupAlive(pid);
    }
    return { exit, stderr, serverStopped: !alive };
  }

  it("stops the server it started and exits 129, as SIGTERM does", async () => {
    const { exit, stderr, serverStopped } = await hangUp("open", false);
    // before, the sweep died of the signal and its server (a process group of its own) ran on
    expect([exit, serverStopped]).toEqual([[129, null], true]);
    expect(stderr).toContain(
      "infermark: SIGHUP: stopping the servers this sweep started; finished points are kept (rerun to resume)",
    );
  });

  it("does the same when its stdout and stderr are closed first", async () => {
    const { exit, serverStopped } = await hangUp("closed", true);
    expect([exit, serverStopped]).toEqual([[129, null], true]);
  });

  it("a closed stdout does not change its exit status: failed points still exit 1", async () => {
    const specPath = join(dir, "never-ready.yaml");
    // never ready in time: its point fails, with a failure record
    await writeFile(
      specPath,
      stringify(longSimSpec({ readiness: { timeoutS: 0.001, intervalS: 0.001 } })),
    );
    const out = join(dir, "never-ready");
    const child = spawnCli(["sweep", specPath, "--output-dir", out, "--no-ingest"]);
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((res) =>
      child.on("exit", (code, signal) => res([code, signal])),
    );
    // the reader of its stdout is gone before it prints its summary (`infermark sweep ... | head -0`)
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    // before, the summary's EPIPE ended the process with 0, as if every point had been measured
    expect(await exited, stderr).toEqual([1, null]);
    const [serverDir] = (await readdir(out, { withFileTypes: true })).filter((e) =>
      e.isDirectory(),
    );
    const files = await readdir(join(out, serverDir!.name));
    expect(files.filter((f) => f.endsWith(".failed.json")).length).toBe(1);
  });
});
