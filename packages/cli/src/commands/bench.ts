import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
  type BenchHooks,
  type BenchOptions,
  type BenchResult,
  runBench,
  writeJsonLines,
} from "@infermark/bench";
import { UsageError } from "../errors.js";
import { writeAtomic } from "../sweep/atomic-files.js";
import { TOOL_VERSION } from "../version.js";

/** `infermark bench` options: the run's BenchOptions plus where to write. */
export interface BenchCommandOptions extends BenchOptions {
  /** Folder for `point-<level>.json` (and `requests-<level>.jsonl`). */
  outputDir: string;
  /** Also write every RequestRecord of each level as JSONL. @default false */
  saveRequests?: boolean;
}

/** A finished run with the files it wrote, per level. */
export interface BenchCommandResult extends BenchResult {
  files: { label: string; point: string; requests?: string }[];
}

/**
 * Runs a benchmark and writes one validated PointResult JSON per level as each level ends, so an
 * interrupted run keeps every finished level and the interrupted one.
 * @example await benchCommand({ baseUrl: "http://h:8000", model: "m", isl: 1024, osl: 128, concurrency: [4, 8], outputDir: "out" })
 */
export async function benchCommand(
  options: BenchCommandOptions,
  hooks: BenchHooks = {},
): Promise<BenchCommandResult> {
  try {
    await mkdir(options.outputDir, { recursive: true });
  } catch (error) {
    // before anything is sent: a path through a file, or a folder the user cannot write to
    throw new UsageError(
      `--output-dir ${options.outputDir}: cannot create it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  const files: BenchCommandResult["files"] = [];
  const result = await runBench(
    { ...options, run: { toolVersion: TOOL_VERSION, ...options.run } },
    {
      ...hooks,
      onLevel: async (level) => {
        const point = join(options.outputDir, `point-${level.label}.json`);
        // whole or not at all: a run killed while it writes leaves no half a point for ingest to trip on
        await writeAtomic(point, `${JSON.stringify(level.point, null, 2)}\n`);
        const entry: BenchCommandResult["files"][number] = { label: level.label, point };
        if (options.saveRequests) {
          entry.requests = join(options.outputDir, `requests-${level.label}.jsonl`);
          await writeJsonLines(entry.requests, level.records);
        }
        files.push(entry);
        await hooks.onLevel?.(level);
      },
    },
  );
  return { ...result, files };
}
