import { stat } from "node:fs/promises";

/**
 * The first of `others` that is the file `path` names (the same device and inode: through a link or another
 * spelling of the path too), or undefined. A path that does not exist yet is none of them.
 * @example await sameFileAs("report.html", ["infermark.db"]) // undefined
 */
export async function sameFileAs(
  path: string,
  others: readonly string[],
): Promise<string | undefined> {
  const target = await stat(path).catch(() => undefined);
  if (!target?.isFile()) return undefined;
  for (const other of others) {
    const s = await stat(other).catch(() => undefined);
    if (s !== undefined && s.dev === target.dev && s.ino === target.ino) return other;
  }
  return undefined;
}
