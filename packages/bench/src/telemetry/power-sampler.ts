import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { shownUrl } from "../shown-url.js";
import { amdSmiSampler } from "./amd-smi.js";
import { DEFAULT_DCGM_URL, dcgmSampler, getExporter } from "./dcgm.js";
import type { NodeSpread } from "./node-spread.js";
import { nvidiaSmiSampler } from "./nvidia-smi.js";
import { TelemetryError } from "./telemetry-error.js";
import {
  POWER_SAMPLER_KINDS,
  type PowerSampler,
  type PowerSamplerKind,
  type PowerSamplerOptions,
} from "./types.js";

const run = promisify(execFile);

/** What `--power` accepts. */
export type PowerChoice = PowerSamplerKind | "auto" | "none";

export interface CreatePowerSamplerOptions extends PowerSamplerOptions {
  /** dcgm-exporter metrics URL. @default DEFAULT_DCGM_URL */
  dcgmUrl?: string;
  /**
   * A server on several nodes (`NodeSpread`): nvidia-smi and amd-smi run on each through its launcher, and a DCGM
   * exporter is scraped on each of its `hosts` (`dcgmUrl` with the node's name as host); without `hosts`, DCGM reads
   * `dcgmUrl` alone. The GPUs are numbered across the nodes (node 1's GPU 0 is 8 on nodes of 8). The probe that
   * `createPowerSampler` runs first reads this node only.
   */
  spread?: NodeSpread;
}

/** Why `command args` cannot run here (its error or last stderr line), or undefined when it exits 0. */
async function runProblem(command: string, args: string[]): Promise<string | undefined> {
  try {
    await run(command, args, { timeout: 10_000 });
    return undefined;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
    if (e.code === "ENOENT" || e.syscall?.startsWith("spawn"))
      return `cannot run ${command} (${e.message})`;
    if (e.killed) return `${command} ${args.join(" ")} did not answer in 10 s`;
    const said = e.stderr?.trim().split("\n").at(-1);
    return `${command} ${args.join(" ")} failed${said ? `: ${said}` : ` (exit ${String(e.code)})`}`;
  }
}

async function dcgmProblem(url: string): Promise<string | undefined> {
  const shown = shownUrl(url);
  try {
    const r = await getExporter(url, 1000);
    if (!r.ok) return `${shown} answered ${r.status}`;
    return (await r.text()).includes("DCGM_FI_DEV_POWER_USAGE")
      ? undefined
      : `${shown} has no DCGM_FI_DEV_POWER_USAGE`;
  } catch (error) {
    return `no DCGM exporter at ${shown} (${(error as Error).message})`;
  }
}

/**
 * Why a power source cannot be read on this node (the tool is missing or lists no GPU, the exporter does not
 * answer), or undefined when it can: the probe `auto` detection runs.
 * @example await powerSamplerProblem("nvidia-smi") // "cannot run nvidia-smi (spawn nvidia-smi ENOENT)" on a CPU box
 */
export async function powerSamplerProblem(
  kind: PowerSamplerKind,
  dcgmUrl = DEFAULT_DCGM_URL,
): Promise<string | undefined> {
  switch (kind) {
    case "nvidia-smi":
      return runProblem("nvidia-smi", ["--query-gpu=index", "--format=csv,noheader"]);
    case "amd-smi":
      return runProblem("amd-smi", ["list"]);
    case "dcgm":
      return dcgmProblem(dcgmUrl);
  }
}

/**
 * Finds the power source this node has: `nvidia-smi` that lists GPUs, else `amd-smi` that lists GPUs, else a DCGM
 * exporter answering at `dcgmUrl`; undefined when none (CPU-only machines, the simulator).
 */
export async function detectPowerSampler(
  dcgmUrl = DEFAULT_DCGM_URL,
): Promise<PowerSamplerKind | undefined> {
  for (const kind of POWER_SAMPLER_KINDS) {
    if ((await powerSamplerProblem(kind, dcgmUrl)) === undefined) return kind;
  }
  return undefined;
}

/**
 * Creates the sampler a `--power` choice names; `auto` detects one and gives undefined when the node has none,
 * `none` always gives undefined. A named source this node cannot read (a missing tool, one that lists no GPU, an
 * exporter that does not answer) throws TelemetryError here, before anything is measured. With `spread`, every
 * source reads every node of the job (DCGM those of `spread.hosts`); the probe reads this node only.
 * @example const sampler = await createPowerSampler("auto", { intervalMs: 100 })
 */
export async function createPowerSampler(
  choice: PowerChoice,
  options: CreatePowerSamplerOptions = {},
): Promise<PowerSampler | undefined> {
  const kind = choice === "auto" ? await detectPowerSampler(options.dcgmUrl) : choice;
  // auto has just probed what it picked; a named source is probed so a missing one fails before a run
  if (choice !== "auto" && POWER_SAMPLER_KINDS.includes(kind as PowerSamplerKind)) {
    const problem = await powerSamplerProblem(kind as PowerSamplerKind, options.dcgmUrl);
    if (problem) throw new TelemetryError(`${kind} is not available: ${problem}`);
  }
  switch (kind) {
    case undefined:
    case "none":
      return undefined;
    case "nvidia-smi":
      return nvidiaSmiSampler(options);
    case "amd-smi":
      return amdSmiSampler(options);
    case "dcgm":
      return dcgmSampler({ ...options, url: options.dcgmUrl });
    default:
      throw new TelemetryError(
        `--power: unknown sampler "${String(kind)}"; known: auto, nvidia-smi, amd-smi, dcgm, none`,
      );
  }
}
