import { makeFolder } from "../commands/make-folder.js";
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
