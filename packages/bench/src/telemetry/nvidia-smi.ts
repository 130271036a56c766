import type { PowerSample } from "@infermark/core";
import { LineProcessSampler } from "./line-process-sampler.js";
import {
  type NodeSpread,
  nodeSample,
  numberAcrossNodes,
  sampleNode,
  splitNodeLabel,
} from "./node-spread.js";
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
 * Samples GPU power with `nvidia-smi ... -lms N` running beside the benchmark; with `spread`, on every node of a
 * multi-node job at once through its launcher (`srun --label`), the GPUs numbered across the nodes
 * (`numberAcrossNodes`: on 8-GPU nodes, node 1's GPU 0 is 8).
 * @example const s = nvidiaSmiSampler({ intervalMs: 100 }); await s.start(); ...; const samples = await s.stop();
 */
export function nvidiaSmiSampler(
  options: PowerSamplerOptions & { command?: string; spread?: NodeSpread } = {},
): PowerSampler {
  const intervalMs = options.intervalMs ?? DEFAULT_POWER_INTERVAL_MS;
  const tool = options.command ?? "nvidia-smi";
  const sample = (line: string): PowerSample | undefined => {
    const r = parseNvidiaSmiLine(line);
    return r && { t: epochToMonotonicMs(r.epochMs), gpu: r.gpu, watts: r.watts };
  };
  const keep = (samples: PowerSample[]) =>
    options.gpus ? samples.filter((s) => options.gpus!.includes(s.gpu)) : samples;
  const { spread } = options;
  if (!spread)
    return new LineProcessSampler(
      "nvidia-smi",
      tool,
      nvidiaSmiArgs(intervalMs),
      () => (line) => keep([sample(line)].filter((s) => s !== undefined)),
      intervalMs,
    );
  const [launcher, ...launcherArgs] = spread.launcher;
  return new LineProcessSampler(
    "nvidia-smi",
    launcher!,
    [...launcherArgs, tool, ...nvidiaSmiArgs(intervalMs)],
    () => (line) => {
      const labelled = splitNodeLabel(line);
      const s = labelled && sample(labelled.line);
      return s ? [nodeSample(labelled.node, s)] : [];
    },
    intervalMs,
    {
      count: spread.nodes,
      sourceOf: sampleNode,
      // the GPUs to keep are numbered as the samples are returned: across the nodes
      finish: (samples) => keep(numberAcrossNodes(samples, spread.gpusPerNode)),
    },
  );
}
