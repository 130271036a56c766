import { readdir, rm, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { makeFolder } from "../commands/make-folder.js";
import { unmadeFolders } from "../commands/unmade-folders.js";
import { SweepError } from "./sweep-error.js";

/**
 * Makes a folder the sweep writes into, and the folders above it, or throws a SweepError in one line that names it
 * and says why it cannot be made (`a part of the path is a file`, `cannot create a folder in /proc`, `permission
 * denied`). Not Node's `mkdir(dir, { recursive: true })`, which spins forever under /proc (see `makeFolder`) and
 * says only `ENOTDIR` where a file stands in the path. `name` is how a message names the folder (a flag and its
 * value: `--output-dir results/x`); by default `folder <dir>`.
 * @example await sweepFolder("/proc/x", "--output-dir /proc/x") // SweepError: --output-dir /proc/x: cannot create it (cannot create a folder in /proc)
 */
export async function sweepFolder(dir: string, name = `folder ${dir}`): Promise<void> {
  const failure = await makeFolder(dir);
  if (failure) throw new SweepError(`${name}: cannot create it (${failure})`);
}

/**
 * Makes a sweep's output folder as `sweepFolder` does, and returns what takes it back: a sweep refused after it made
 * the folder (a power source this machine lacks, a Slurm cluster that does not answer) leaves nothing behind. Taking
 * it back removes the folders this call made (the output folder and those above it that were missing) while they
 * hold no file: the folders the sweep made inside (`slurm/`, a configuration's) go with them; a folder that held
 * anything, or was there before, stays.
 * @example const takeBack = await outputFolder("results/x", "--output-dir results/x"); await takeBack();
 */
export async function outputFolder(dir: string, name: string): Promise<() => Promise<void>> {
  const made = await unmadeFolders(dir);
  await sweepFolder(dir, name);
  return async () => {
    // deepest first: the output folder, then each folder above it that this call made
    for (const [i, folder] of made.entries()) {
      try {
        if (i > 0) await rmdir(folder);
        else if (await holdsNoFile(folder)) await rm(folder, { recursive: true });
        else return;
      } catch {
        return;
      }
    }
  };
}

/** Whether a folder holds only folders that hold no file, all the way down (a link counts as a file). */
async function holdsNoFile(dir: string): Promise<boolean> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !(await holdsNoFile(join(dir, entry.name)))) return false;
  }
  return true;
}
