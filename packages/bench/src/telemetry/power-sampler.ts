import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { amdSmiSampler } from "./amd-smi.js";
import { DEFAULT_DCGM_URL, dcgmSampler } from "./dcgm.js";
import { nvidiaSmiSampler } from "./nvidia-smi.js";
import { TelemetryError } from "./telemetry-error.js";
import type { PowerSampler, PowerSamplerKind, PowerSamplerOptions } from "./types.js";

const run = promisify(execFile);

/** What `--power` accepts. */
export type PowerChoice = PowerSamplerKind | "auto" | "none";

export interface CreatePowerSamplerOptions extends PowerSamplerOptions {
  /** dcgm-exporter metrics URL. @default DEFAULT_DCGM_URL */
  dcgmUrl?: string;
}

async function works(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args, { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

async function dcgmReachable(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return r.ok && (await r.text()).includes("DCGM_FI_DEV_POWER_USAGE");
  } catch {
    return false;
  }
}

/**
 * Finds the power source this node has: `nvidia-smi` that lists GPUs, else `amd-smi` that lists GPUs, else a DCGM
 * exporter answering at `dcgmUrl`; undefined when none (CPU-only machines, the simulator).
 */
export async function detectPowerSampler(
  dcgmUrl = DEFAULT_DCGM_URL,
): Promise<PowerSamplerKind | undefined> {
  if (await works("nvidia-smi", ["--query-gpu=index", "--format=csv,noheader"]))
    return "nvidia-smi";
  if (await works("amd-smi", ["list"])) return "amd-smi";
  if (await dcgmReachable(dcgmUrl)) return "dcgm";
  return undefined;
}

/**
 * Creates the sampler a `--power` choice names; `auto` detects one and gives undefined when the node has none,
 * `none` always gives undefined. A named tool that is missing fails when the sampler starts.
 * @example const sampler = await createPowerSampler("auto", { intervalMs: 100 })
 */
export async function createPowerSampler(
  choice: PowerChoice,
  options: CreatePowerSamplerOptions = {},
): Promise<PowerSampler | undefined> {
  const kind = choice === "auto" ? await detectPowerSampler(options.dcgmUrl) : choice;
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
