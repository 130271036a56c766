import { randomBytes } from "node:crypto";
import { rename, rm, stat } from "node:fs/promises";
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
import { makeFolder } from "./make-folder.js";

/** `infermark bench` options: the run's BenchOptions plus where to write. */
export interface BenchCommandOptions extends BenchOptions {
  /** Folder for `point-<level>.json` (and `requests-<level>.jsonl`). */
  outputDir: string;
  /** Also write every RequestRecord of each level as JSONL. @default false */
  saveRequests?: boolean;
}

/** The run's hooks, and what `benchCommand` says of the files it finds in its way. */
export interface BenchCommandHooks extends BenchHooks {
  /**
   * Called when a level's point is written without its records (no `saveRequests`) and `requests-<level>.jsonl`,
   * an earlier run's, was beside it: `setAside` is the name it was renamed to, which ingest does not read.
   */
  onStaleRequests?(label: string, requests: string, setAside: string): void;
}

/** A finished run with the files it wrote, per level. */
export interface BenchCommandResult extends BenchResult {
  files: { label: string; point: string; requests?: string; staleRequestsSetAside?: string }[];
}

/**
 * Runs a benchmark and writes one validated PointResult JSON per level as each level ends, so an
 * interrupted run keeps every finished level and the interrupted one. A level's point is never left beside records
 * that are not its own: an earlier run's `requests-<level>.jsonl` is set aside (renamed, never removed unless this
 * run writes the level's records in its place) before the point is written.
 * @example await benchCommand({ baseUrl: "http://h:8000", model: "m", isl: 1024, osl: 128, concurrency: [4, 8], outputDir: "out" })
 */
export async function benchCommand(
  options: BenchCommandOptions,
  hooks: BenchCommandHooks = {},
): Promise<BenchCommandResult> {
  // before anything is sent: a path through a file, or a folder the user cannot write to
  const failure = await makeFolder(options.outputDir);
  if (failure)
    throw new UsageError(`--output-dir ${options.outputDir}: cannot create it (${failure})`);
  const files: BenchCommandResult["files"] = [];
  const result = await runBench(
    { ...options, run: { toolVersion: TOOL_VERSION, ...options.run } },
    {
      ...hooks,
      onLevel: async (level) => {
        const point = join(options.outputDir, `point-${level.label}.json`);
        const requests = join(options.outputDir, `requests-${level.label}.jsonl`);
        // before the point: killed between the two, the new point stands alone, never beside the old records
        const stale = await setAside(requests);
        // whole or not at all: a run killed while it writes leaves no half a point for ingest to trip on
        await writeAtomic(point, `${JSON.stringify(level.point, null, 2)}\n`);
        const entry: BenchCommandResult["files"][number] = { label: level.label, point };
        if (options.saveRequests) {
          entry.requests = requests;
          await writeJsonLines(entry.requests, level.records);
          // the earlier run's records are replaced by this run's, as its point is
          if (stale) await rm(stale, { force: true });
        } else if (stale) {
          entry.staleRequestsSetAside = stale;
          hooks.onStaleRequests?.(level.label, requests, stale);
        }
        files.push(entry);
        await hooks.onLevel?.(level);
      },
    },
  );
  return { ...result, files };
}

/**
 * Renames a records file that is there to `<name>.<its mtime, UTC>.<4 hex>.stale` beside it (a name no reader takes
 * for records: ingest reads `.jsonl`), and returns the new path; undefined when there is none (or another run set
 * it aside first).
 */
async function setAside(path: string): Promise<string | undefined> {
  let modified: Date;
  try {
    modified = (await stat(path)).mtime;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const stamp = modified.toISOString().replace(/[-:]|\.\d+/g, "");
  const to = `${path}.${stamp}.${randomBytes(2).toString("hex")}.stale`;
  try {
    await rename(path, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return to;
}
