import { existsSync } from "node:fs";
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type CliResult, runCli, tempDir } from "./helpers.js";
import { simSpec } from "./sim-spec.js";

/** The one server configuration of `simSpec`, as its folder in the output folder is named. */
const SERVER = "dsr1-h200-sim-fp8-tp8-256x64";

describe("infermark sweep: folders it cannot make", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let specPath: string;
  /** A file where the sweeps below look for folders. */
  let file: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-folders-"));
    specPath = join(dir, "sim.yaml");
    await writeFile(specPath, stringify(simSpec()));
    file = join(dir, "notes.txt");
    await writeFile(file, "not a folder\n");
  });
  afterAll(async () => {
    await cleanup();
  });

  /** The sweep of `simSpec` with `args`, killed after 30 s: a sweep that hangs fails (code null), it does not hang. */
  const sweep = (...args: string[]): Promise<CliResult> =>
    runCli(["sweep", specPath, "--no-ingest", ...args], { timeoutMs: 30_000 });

  it.runIf(existsSync("/proc/self"))(
    "--output-dir under /proc: one line and exit 1, where mkdir -p spun at full CPU forever",
    async () => {
      const r = await sweep("--output-dir", "/proc/infermark-sweep-x");
      expect([r.code, r.stdout, r.stderr]).toEqual([
        1,
        "",
        "infermark: --output-dir /proc/infermark-sweep-x: cannot create it (cannot create a folder in /proc)\n",
      ]);
    },
  );

  it("--output-dir a file, or a folder under a file: one line naming it, not ENOTDIR", async () => {
    const r = await sweep("--output-dir", file);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      `infermark: --output-dir ${file}: cannot create it (is a file, not a folder)\n`,
    ]);
    const under = join(file, "out", "deeper");
    const r2 = await sweep("--output-dir", under);
    expect([r2.code, r2.stdout, r2.stderr]).toEqual([
      1,
      "",
      `infermark: --output-dir ${under}: cannot create it (a part of the path is a file)\n`,
    ]);
    expect(await readFile(file, "utf8")).toBe("not a folder\n");
  });

  it("a file where a server configuration's folder goes: one line naming it, before its server starts", async () => {
    const out = join(dir, "server-file");
    await mkdir(out);
    await writeFile(join(out, SERVER), "");
    const r = await sweep("--output-dir", out);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      `infermark: folder ${join(out, SERVER)}: cannot create it (is a file, not a folder)\n`,
    ]);
    // nothing started: no server record, no log beside the file
    expect(await readdir(out)).toEqual([SERVER]);
  });

  it("Slurm: a file where the batch scripts' folder goes, before anything is submitted", async () => {
    const out = join(dir, "slurm-file");
    await mkdir(out);
    await writeFile(join(out, "slurm"), "");
    const r = await sweep("--executor", "slurm", "--output-dir", out);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      `infermark: folder ${join(out, "slurm")}: cannot create it (is a file, not a folder)\n`,
    ]);
  });

  it("GitHub: a workflow path under a file", async () => {
    // the spec in a repository (a .git folder is what the workflow writer looks for)
    await mkdir(join(dir, ".git"), { recursive: true });
    const workflow = join(file, "workflows", "sweep.yml");
    const r = await runCli(["sweep", specPath, "--executor", "github", "--workflow", workflow], {
      cwd: dir,
      timeoutMs: 30_000,
    });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      `infermark: the workflow's folder ${join(file, "workflows")}: cannot create it (a part of the path is a file)\n`,
    ]);
  });
});

describe("infermark sweep refused before anything is measured: no folder left behind", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let specPath: string;
  /** PATH with an nvidia-smi first that finds no driver, as on a machine without GPUs. */
  let env: Record<string, string>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-refused-"));
    specPath = join(dir, "sim.yaml");
    await writeFile(specPath, stringify(simSpec({ power: "nvidia-smi" })));
    const bin = join(dir, "bin");
    await mkdir(bin);
    await writeFile(
      join(bin, "nvidia-smi"),
      '#!/bin/sh\necho "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver." >&2\nexit 9\n',
    );
    await chmod(join(bin, "nvidia-smi"), 0o755);
    env = { PATH: `${bin}${delimiter}${process.env.PATH}` };
  });
  afterAll(async () => {
    await cleanup();
  });

  const REFUSED =
    "infermark: power: nvidia-smi is not available: nvidia-smi --query-gpu=index --format=csv,noheader failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.; use --power auto (none when no source answers) or none\n";

  it("--power nvidia-smi without a driver: the output folder it made, and the folders above it it made, are gone", async () => {
    const top = join(dir, "new");
    const r = await runCli(
      ["sweep", specPath, "--no-ingest", "--output-dir", join(top, "deeper", "out")],
      { env, timeoutMs: 30_000 },
    );
    expect([r.code, r.stdout, r.stderr]).toEqual([1, "", REFUSED]);
    // before, new/deeper/out was left, empty
    expect(existsSync(top)).toBe(false);
    // the default folder, results/sim in the working folder: results/ too
    const cwd = join(dir, "cwd");
    await mkdir(cwd);
    const r2 = await runCli(["sweep", specPath, "--no-ingest"], { env, cwd, timeoutMs: 30_000 });
    expect([r2.code, r2.stdout, r2.stderr]).toEqual([1, "", REFUSED]);
    expect(await readdir(cwd)).toEqual([]);
  });

  it("a folder that was there before stays, with what it holds", async () => {
    const out = join(dir, "kept");
    await mkdir(join(out, "empty"), { recursive: true });
    const r = await runCli(["sweep", specPath, "--no-ingest", "--output-dir", out], {
      env,
      timeoutMs: 30_000,
    });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, "", REFUSED]);
    expect(await readdir(out)).toEqual(["empty"]);
  });
});
