import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, vi } from "vitest";

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** shared/ beside the repository (real InferenceX data lives in shared/data/inferencex). */
export const SHARED_DIR = resolve(REPO_ROOT, "../shared");

/**
 * The real `infermark` CLI from source as a command line (no build needed); tsx by its full path, so it
 * runs from any working folder.
 */
export const CLI_COMMAND: readonly string[] = [
  process.execPath,
  "--conditions=infermark-source",
  "--import",
  pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href,
  join(REPO_ROOT, "packages/cli/src/run.ts"),
];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the real `infermark` CLI from source in a child process, stdin, stdout and stderr piped. */
export function spawnCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): ChildProcessWithoutNullStreams {
  const [node, ...cli] = CLI_COMMAND;
  return spawn(node!, [...cli, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/**
 * Runs the real `infermark` CLI from source in a child process (no build needed) and collects its output.
 * @example const r = await runCli(["validate", file]); expect(r.code).toBe(0)
 */
export function runCli(
  args: readonly string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    input?: string;
    timeoutMs?: number;
  } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnCli(args, options);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** Makes a temporary folder and returns it with a cleanup function. */
export async function tempDir(
  prefix = "infermark-test-",
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Runs the CLI in this process (`main`, as the `infermark` binary does, without a process start): what it wrote
 * to stdout and stderr, and the exit code it set. For what fails or finishes before any network or long work,
 * such as flag checks; sequential only (it captures the process's console and streams).
 * @example const r = await runCliInProcess(["frontier", "--latest", "--all-dates"]); expect(r.code).toBe(2)
 */
export async function runCliInProcess(args: readonly string[]): Promise<CliResult> {
  // imported here, so that the test files that only spawn the CLI do not load it
  const { main } = await import("../src/cli.js");
  const stdout: string[] = [];
  const stderr: string[] = [];
  const line = (...a: unknown[]) => `${a.join(" ")}\n`;
  const into = (chunks: string[]) => (chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0;
  const spies = [
    vi.spyOn(console, "log").mockImplementation((...a) => void stdout.push(line(...a))),
    vi.spyOn(console, "error").mockImplementation((...a) => void stderr.push(line(...a))),
    vi.spyOn(process.stdout, "write").mockImplementation(into(stdout)),
    vi.spyOn(process.stderr, "write").mockImplementation(into(stderr)),
  ];
  process.exitCode = 0;
  try {
    await main(["node", "infermark", ...args]);
    return {
      code: Number(process.exitCode ?? 0),
      stdout: stdout.join(""),
      stderr: stderr.join(""),
    };
  } finally {
    for (const spy of spies) spy.mockRestore();
    process.exitCode = 0;
  }
}

/**
 * Writes a stand-in for nvidia-smi into `<dir>/bin`, as the power sampler runs it: `--query-gpu=index` lists the
 * GPUs, and the power query (`--format=csv,noheader,nounits -lms N`) prints `timestamp, index, watts` for every GPU
 * each period until SIGTERM, GPU i at a steady `watts[i]`. `prelude` runs before the loop (a variant of one test).
 * Returns the folder to put first on PATH.
 * @example process.env.PATH = `${await fakeNvidiaSmi(dir, [300])}:${process.env.PATH}`
 */
export async function fakeNvidiaSmi(
  dir: string,
  watts: readonly number[],
  prelude = "",
): Promise<string> {
  const bin = join(dir, "bin");
  await mkdir(bin, { recursive: true });
  const indices = watts.map((_, i) => i).join("\\n");
  const line = watts.map((w, i) => `%s, ${i}, ${w.toFixed(2)}\\n`).join("");
  const stamps = watts.map(() => '"$t"').join(" ");
  await writeFile(
    join(bin, "nvidia-smi"),
    `#!/usr/bin/env bash
case "$*" in *--query-gpu=index*) printf '${indices}\\n'; exit 0;; esac
${prelude}
period=0.05
while [ $# -gt 0 ]; do [ "$1" = "-lms" ] && period=$(awk "BEGIN{print $2/1000}"); shift; done
trap 'exit 0' TERM
while true; do
  t=$(date '+%Y/%m/%d %H:%M:%S.%3N')
  printf '${line}' ${stamps}
  sleep "$period"
done
`,
  );
  await chmod(join(bin, "nvidia-smi"), 0o755);
  return bin;
}

/**
 * A valid PointResult as JSON, before the schema fills its defaults: dsr1 1024/1024 measured on 8 x h200 with vLLM
 * FP8 at `concurrency`, no metrics; `over` replaces whole top-level fields (metrics, errors, validity, run).
 * @example PointResult.parse(pointJson(8, { metrics: { tputPerGpu: 1234 } }))
 */
export function pointJson(concurrency: number, over: Record<string, unknown> = {}) {
  return {
    schema: "infermark.point/v1",
    run: { source: "measured", date: "2026-11-27" },
    config: {
      model: "dsr1",
      hardware: "h200",
      framework: "vllm",
      precision: "fp8",
      topology: { gpus: 8, prefillGpus: 8, decodeGpus: 8 },
      workload: { isl: 1024, osl: 1024 },
      load: { mode: "concurrency", concurrency },
    },
    validity: { valid: true },
    ...over,
  };
}

/** A running `infermark ui` child process (`startUiCli`). */
export interface RunningUi {
  /** Its address once it listens (`http://127.0.0.1:PORT/`). */
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output: () => string;
  /** Whether it still runs. */
  alive: () => boolean;
  /** Stops it (SIGTERM) and resolves with its exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Starts the real `infermark ui --port 0 <args>` in a child process and resolves once it says where it listens.
 * @example const ui = await startUiCli(["--db", db]); try { await fetch(ui.url) } finally { await ui.stop() }
 */
export async function startUiCli(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<RunningUi> {
  const child = spawnCli(["ui", "--port", "0", ...args], { env });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await expect.poll(() => /on (http:\/\/\S+)/.exec(out), { timeout: 60_000 }).not.toBeNull();
  return {
    url: /on (http:\/\/\S+)/.exec(out)![1]!,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Every file under `dir` (recursively), with its text: what a test checks a secret is absent from. */
export async function filesUnder(dir: string): Promise<[string, string][]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e): Promise<[string, string]> => {
        const path = join(e.parentPath, e.name);
        return [path, await readFile(path, "utf8")];
      }),
  );
}

/**
 * Starts `infermark sim serve --port 0 <flags>` in a child process, gives `use` its startup line and base URL
 * (`http://127.0.0.1:<port>`) once it serves, and stops it when `use` is done.
 * @example await simServing(["--model", "dsr1", "--hardware", "h200", "--tp", "8"], (_, url) => fetch(`${url}/v1/models`))
 */
export function simServing<T>(
  flags: readonly string[],
  use: (line: string, baseUrl: string) => Promise<T> | T,
): Promise<T> {
  const child = spawnCli(["sim", "serve", "--port", "0", ...flags]);
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdout.on("data", async (d) => {
      const started = stdout.includes("\n");
      stdout += d;
      if (started || !stdout.includes("\n")) return;
      const line = stdout.split("\n")[0]!;
      try {
        resolve(await use(line, /(http:\/\/[^/]+)\/v1/.exec(line)![1]!));
      } catch (error) {
        reject(error);
      } finally {
        child.kill("SIGTERM");
      }
    });
    child.on("close", (code) => reject(new Error(`sim serve exited ${code}: ${stderr}`)));
  });
}
