import type { PowerSample } from "@infermark/core";
import { LineProcessSampler } from "./line-process-sampler.js";
import { DEFAULT_POWER_INTERVAL_MS, type PowerSampler, type PowerSamplerOptions } from "./types.js";
import { epochToMonotonicMs } from "./wall-clock.js";

/** A parsed line of `nvidia-smi --query-gpu=timestamp,index,power.draw --format=csv,noheader,nounits`. */
export interface NvidiaSmiReading {
  /** Wall-clock time of the reading (ms since the epoch, from nvidia-smi's local-time timestamp). */
  epochMs: number;
  gpu: number;
  watts: number;
}

const TIMESTAMP = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/**
 * Parses one CSV line such as `2025/01/15 10:23:45.123, 0, 312.45`; undefined for a header, a blank line or a
 * GPU that reports `[N/A]` / `[Not Supported]`. nvidia-smi prints the timestamp in local time.
 */
export function parseNvidiaSmiLine(line: string): NvidiaSmiReading | undefined {
  const cells = line.split(",").map((c) => c.trim());
  if (cells.length < 3) return undefined;
  const m = TIMESTAMP.exec(cells[0]!);
  const gpu = Number(cells[1]);
  const watts = Number(cells[2]!.replace(/\s*W$/, ""));
  if (!m || !Number.isInteger(gpu) || !Number.isFinite(watts) || cells[2] === "") return undefined;
  const epochMs = new Date(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number((m[7] ?? "0").padEnd(3, "0")),
  ).getTime();
  return { epochMs, gpu, watts };
}

/** The nvidia-smi arguments for power samples every `intervalMs`. */
export function nvidiaSmiArgs(intervalMs: number): string[] {
  return [
    "--query-gpu=timestamp,index,power.draw",
    "--format=csv,noheader,nounits",
    `-lms`,
    String(Math.max(1, Math.round(intervalMs))),
  ];
}

/**
 * Samples GPU power with `nvidia-smi ... -lms N` running beside the benchmark.
 * @example const s = nvidiaSmiSampler({ intervalMs: 100 }); await s.start(); ...; const samples = await s.stop();
 */
export function nvidiaSmiSampler(
  options: PowerSamplerOptions & { command?: string } = {},
): PowerSampler {
  const intervalMs = options.intervalMs ?? DEFAULT_POWER_INTERVAL_MS;
  return new LineProcessSampler(
    "nvidia-smi",
    options.command ?? "nvidia-smi",
    nvidiaSmiArgs(intervalMs),
    (line) => {
      const r = parseNvidiaSmiLine(line);
      if (!r || (options.gpus && !options.gpus.includes(r.gpu))) return [];
      const sample: PowerSample = { t: epochToMonotonicMs(r.epochMs), gpu: r.gpu, watts: r.watts };
      return [sample];
    },
    intervalMs,
  );
}
