import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/**
 * Makes a folder and the folders above it that are missing, one at a time, and says in words why it cannot:
 * `a part of the path is a file`, `permission denied`, `cannot create a folder in /proc`. Node's own
 * `mkdir(dir, { recursive: true })` never returns for a path where the folder above exists but refuses new entries
 * with ENOENT (`/proc/x`): it spins at full CPU, so a run with `--output-dir /proc/x` hung.
 * @example await makeFolder("results/run-1") // undefined, or why it could not: "a part of the path is a file"
 */
export async function makeFolder(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const info = await stat(at).catch((error: NodeJS.ErrnoException) => error);
    if (!(info instanceof Error)) {
      if (!info.isDirectory())
        return at === resolve(dir) ? "is a file, not a folder" : "a part of the path is a file";
      break;
    }
    if (info.code === "ENOTDIR") return "a part of the path is a file";
    if (info.code !== "ENOENT") return reasonOf(info);
    if (dirname(at) === at) break;
    missing.push(at);
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // another process made it meanwhile
      if (code === "EEXIST" && (await stat(folder).catch(() => undefined))?.isDirectory()) continue;
      if (code === "ENOENT") return `cannot create a folder in ${dirname(folder)}`;
      return reasonOf(error as NodeJS.ErrnoException);
    }
  }
  return undefined;
}

const reasonOf = (error: NodeJS.ErrnoException): string =>
  error.code === "EACCES" || error.code === "EPERM" || error.code === "EROFS"
    ? `permission denied${error.code === "EROFS" ? " (a read-only file system)" : ""}`
    : (error.code ?? error.message);
