import { readdir } from "node:fs/promises";

/**
 * The temporary files `infermark bench` writes its files through: `point-<level>.json.<pid>.<hex>.tmp`,
 * `requests-<level>.jsonl.<pid>.<hex>.tmp` (`requests-<level>.jsonl.tmp` before the writer's pid was in the name).
 */
const BENCH_TEMP_FILE = /^(point-.+\.json|requests-.+\.jsonl)(\.\d+\.[0-9a-f]{8})?\.tmp$/;

/**
 * The line that says which of `infermark bench`'s temporary files `dir` holds, or undefined when none (or no folder):
 * what a run killed outright (SIGKILL, the terminal closed) while it wrote a level's files leaves. None is a result
 * (no reader takes a `.tmp` file, and the level's point file, when there is one, is whole), and none is removed here:
 * another run writing into the same folder now (a job of an array on another node) may own it.
 * @example await leftoverTempFilesLine("out") // "infermark: warning: out holds requests-c8.jsonl.4242.0a1b2c3d.tmp, ..."
 */
export async function leftoverTempFilesLine(dir: string): Promise<string | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const left = names.filter((name) => BENCH_TEMP_FILE.test(name)).sort();
  if (left.length === 0) return undefined;
  return `infermark: warning: ${dir} holds ${left.join(", ")}: unfinished, left by a run killed while it wrote them (not results: remove them), unless another run is writing into ${dir} now`;
}
