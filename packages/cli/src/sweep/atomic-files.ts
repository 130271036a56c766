import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { link, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { sweepFolder } from "./sweep-folder.js";

/** Temporary files being written now, removed if the process exits meanwhile. */
const unfinished = new Set<string>();
let exitHooked = false;

/**
 * Removes `tmp` when the process exits (`process.exit` on a sweep's second Ctrl-C or SIGTERM, an uncaught error)
 * before the returned function is called: a file that is not whole never stays behind, except after a SIGKILL.
 */
function removedOnExit(tmp: string): () => void {
  unfinished.add(tmp);
  if (!exitHooked) {
    exitHooked = true;
    process.on("exit", () => {
      for (const file of unfinished) rmSync(file, { force: true });
    });
  }
  return () => unfinished.delete(tmp);
}

/**
 * Creates `path` holding `text` only when no file is there, atomically across processes and hosts sharing the folder:
 * the text is written to a temporary file first and hard-linked to `path` (a link is exclusive on local file systems
 * and on NFS, where `O_EXCL` is not always), so a reader never sees half a file.
 * - `created`: the file is this caller's;
 * - `exists`: another file was there first (left alone);
 * - `unsupported`: the file system has no hard links.
 * On `exists` and `unsupported`, `tmp` (the complete file) is left for the caller to rename over `path` (replacing
 * what is there) or to remove.
 * @example await createExclusive("out/srv/slurm.submit", "...", "out/srv/slurm.submit.123.tmp") // "created"
 */
export async function createExclusive(
  path: string,
  text: string,
  tmp: string,
): Promise<"created" | "exists" | "unsupported"> {
  await sweepFolder(dirname(path));
  // removed on exit until it is linked or handed back (the caller's then)
  const written = removedOnExit(tmp);
  try {
    await writeFile(tmp, text);
    try {
      await link(tmp, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") return "exists";
      if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP") return "unsupported";
      throw error;
    }
    await rm(tmp, { force: true });
    return "created";
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  } finally {
    written();
  }
}

/**
 * A temporary name beside `path` that no other writer (another process, another call of this one) uses, so that two
 * writers of one file never write into the same temporary file.
 */
export const tempPathFor = (path: string): string =>
  `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;

/**
 * Writes `text` to `path` atomically: a reader sees the old file or the new one, never half of one, and of two
 * writers at once (a Slurm job's submitter and a sweep that follows the job) one whole file wins. A process that
 * exits while it writes (`process.exit`) removes the temporary file; a SIGKILL leaves it, named `<path>.<pid>.<hex>.tmp`.
 */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = tempPathFor(path);
  const written = removedOnExit(tmp);
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  } finally {
    written();
  }
}
