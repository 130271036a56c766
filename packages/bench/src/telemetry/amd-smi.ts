import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { linesByNode, type NodeSpread, nodeSample, splitNodeLabel } from "./node-spread.js";
import { type GpuReading, type NodesPoll, PollingSampler } from "./polling-sampler.js";
import { TelemetryError } from "./telemetry-error.js";
import type { PowerSampler, PowerSamplerOptions } from "./types.js";

const run = promisify(execFile);

/** amd-smi is a Python tool that takes a few hundred ms per call: poll it once a second by default. */
export const DEFAULT_AMD_SMI_INTERVAL_MS = 1000;

/** How long one run of amd-smi on every node may take (the launcher starts a job step on each) (ms). */
const NODES_POLL_TIMEOUT_MS = 10_000;

const AMD_SMI_ARGS = ["metric", "--power", "--json"];

/**
 * Parses `amd-smi metric --power --json`: a list (or `{ gpu_data: [...] }`) of `{ gpu, power: { socket_power } }`
 * where the power is `{ value, unit }` (ROCm 6.1+), a number in W, or a string such as `"550 W"`. GPUs reporting
 * `"N/A"` are left out.
 */
export function parseAmdSmiMetricJson(text: string): GpuReading[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TelemetryError(`amd-smi: output is not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const list = Array.isArray(data) ? data : (data as { gpu_data?: unknown[] })?.gpu_data;
  if (!Array.isArray(list))
    throw new TelemetryError("amd-smi: expected a list of GPUs in the JSON output");
  const out: GpuReading[] = [];
  for (const entry of list as Record<string, unknown>[]) {
    const power = entry.power as Record<string, unknown> | undefined;
    const watts = toWatts(
      power?.socket_power ?? power?.current_socket_power ?? power?.average_socket_power,
    );
    const gpu = Number(entry.gpu);
    if (Number.isInteger(gpu) && watts !== undefined) out.push({ gpu, watts });
  }
  return out;
}

function toWatts(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string") {
    const m = /^\s*([\d.]+)\s*(W|mW|uW)?\s*$/.exec(v);
    return m ? scale(Number(m[1]), m[2]) : undefined;
  }
  if (v && typeof v === "object" && "value" in v) {
    const { value, unit } = v as { value: unknown; unit?: string };
    const n = typeof value === "number" ? value : Number(value);
    return Number.isFinite(n) ? scale(n, unit) : undefined;
  }
  return undefined;
}

const scale = (n: number, unit: string | undefined): number =>
  unit === "mW" ? n / 1000 : unit === "uW" ? n / 1e6 : n;

const lastLine = (text: string | undefined): string | undefined =>
  text?.trim().split("\n").at(-1)?.trim() || undefined;

/**
 * Runs amd-smi once on every node through the spread's launcher and parses each node's JSON from its labelled
 * lines. A node whose amd-smi failed, printed no JSON or no GPU's power is missing from the poll, with its last
 * labelled stderr line; the launcher failing as a whole (srun exits non-zero when any task does) does not drop the
 * other nodes' readings.
 */
async function pollNodes(tool: string, spread: NodeSpread): Promise<NodesPoll> {
  const [launcher, ...launcherArgs] = spread.launcher;
  let stdout: string;
  let stderr: string;
  let failure: string | undefined;
  try {
    ({ stdout, stderr } = await run(launcher!, [...launcherArgs, tool, ...AMD_SMI_ARGS], {
      timeout: NODES_POLL_TIMEOUT_MS,
    }));
  } catch (error) {
    const e = error as NodeJS.ErrnoException & {
      stdout?: string;
      stderr?: string;
      killed?: boolean;
    };
    if (e.code === "ENOENT" || e.syscall?.startsWith("spawn"))
      throw new TelemetryError(`cannot run ${launcher} (${e.message})`, { cause: error });
    stdout = e.stdout ?? "";
    stderr = e.stderr ?? "";
    // the launcher's own last word (srun's are not labelled), for a node that said nothing itself
    const unlabelled = stderr.split("\n").filter((l) => !splitNodeLabel(l));
    failure = e.killed
      ? `${launcher} did not finish in ${NODES_POLL_TIMEOUT_MS / 1000} s`
      : (lastLine(unlabelled.join("\n")) ?? `${launcher} exited with code ${String(e.code)}`);
  }
  const out = linesByNode(stdout);
  const err = linesByNode(stderr);
  const readings: GpuReading[] = [];
  const missing = new Map<number, string>();
  for (let node = 0; node < spread.nodes; node++) {
    const text = out.get(node);
    if (!text?.trim()) {
      missing.set(node, lastLine(err.get(node)) ?? failure ?? `${tool} printed nothing`);
      continue;
    }
    try {
      const parsed = parseAmdSmiMetricJson(text);
      if (parsed.length === 0) missing.set(node, `${tool} gave no GPU's power`);
      for (const r of parsed) readings.push(nodeSample(node, r));
    } catch (error) {
      missing.set(node, (error as Error).message);
    }
  }
  return { readings, missing };
}

/**
 * Samples GPU power by running `amd-smi metric --power --json` every interval; with `spread`, on every node of a
 * multi-node job at once, one launcher run (`srun --label`) per poll, the GPUs numbered across the nodes as
 * nvidia-smi's are (`numberAcrossNodes`: on 8-GPU nodes, node 1's GPU 0 is 8). On several nodes `start` waits for a
 * reading of every node and fails naming the nodes that gave none; a later poll that misses a node keeps the
 * others' readings, and the missed node's GPUs just lack that sample (see `PollingSampler`).
 * @example const s = amdSmiSampler(); await s.start(); ...; await s.stop()
 */
export function amdSmiSampler(
  options: PowerSamplerOptions & { command?: string; spread?: NodeSpread } = {},
): PowerSampler {
  const command = options.command ?? "amd-smi";
  const intervalMs = options.intervalMs ?? DEFAULT_AMD_SMI_INTERVAL_MS;
  const { spread } = options;
  if (spread)
    return new PollingSampler(
      "amd-smi",
      intervalMs,
      () => pollNodes(command, spread),
      options.gpus,
      spread,
    );
  return new PollingSampler(
    "amd-smi",
    intervalMs,
    async () => parseAmdSmiMetricJson((await run(command, AMD_SMI_ARGS)).stdout),
    options.gpus,
  );
}
