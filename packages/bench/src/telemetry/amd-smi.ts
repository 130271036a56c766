import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type GpuReading, PollingSampler } from "./polling-sampler.js";
import { TelemetryError } from "./telemetry-error.js";
import type { PowerSampler, PowerSamplerOptions } from "./types.js";

const run = promisify(execFile);

/** amd-smi is a Python tool that takes a few hundred ms per call: poll it once a second by default. */
export const DEFAULT_AMD_SMI_INTERVAL_MS = 1000;

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

/**
 * Samples GPU power by running `amd-smi metric --power --json` every interval.
 * @example const s = amdSmiSampler(); await s.start(); ...; await s.stop()
 */
export function amdSmiSampler(
  options: PowerSamplerOptions & { command?: string } = {},
): PowerSampler {
  const command = options.command ?? "amd-smi";
  return new PollingSampler(
    "amd-smi",
    options.intervalMs ?? DEFAULT_AMD_SMI_INTERVAL_MS,
    async () => parseAmdSmiMetricJson((await run(command, ["metric", "--power", "--json"])).stdout),
    options.gpus,
  );
}
