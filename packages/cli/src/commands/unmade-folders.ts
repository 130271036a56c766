import { rmdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/**
 * The folders of `dir` that do not exist yet, deepest first: those a run will make for its files. A run that ends
 * before its first file gives them back with `removeEmptyFolders`, so that a refused run leaves nothing behind.
 * @example await unmadeFolders("out/a") // ["/abs/out/a", "/abs/out"] when neither exists
 */
export async function unmadeFolders(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const exists = await stat(at).then(
      () => true,
      () => false,
    );
    if (exists || dirname(at) === at) return missing;
    missing.push(at);
  }
}

/**
 * Removes each folder, deepest first, while it is empty: a folder that holds anything (a file another process
 * wrote there meanwhile) stays, and so do the ones above it.
 * @example await removeEmptyFolders(await unmadeFolders("out/a"))
 */
export async function removeEmptyFolders(folders: readonly string[]): Promise<void> {
  for (const folder of folders) {
    try {
      await rmdir(folder);
    } catch (error) {
      // absent (never made) is fine; not empty or not ours to remove ends the climb
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") return;
    }
  }
}
