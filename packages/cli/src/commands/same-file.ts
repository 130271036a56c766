import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * The first of `others` that is the file `path` names, or undefined: the same device and inode when both exist
 * (through a link or another spelling of the path too), else the same place, its folder resolved (a database's
 * `-wal` or `-shm` file, which exists only while the database is open, is still the database's).
 * @example await sameFileAs("report.html", ["infermark.db"]) // undefined
 */
export async function sameFileAs(
  path: string,
  others: readonly string[],
): Promise<string | undefined> {
  const target = await stat(path).catch(() => undefined);
  if (target !== undefined && !target.isFile()) return undefined;
  const place = target === undefined ? await resolvedPlace(path) : undefined;
  for (const other of others) {
    const s = await stat(other).catch(() => undefined);
    if (target !== undefined) {
      if (s !== undefined && s.dev === target.dev && s.ino === target.ino) return other;
    } else if (s === undefined && place !== undefined && place === (await resolvedPlace(other)))
      return other;
  }
  return undefined;
}

/** Where a file that does not exist would be: its folder's real path and its name; undefined without the folder. */
async function resolvedPlace(path: string): Promise<string | undefined> {
  const folder = await realpath(dirname(path)).catch(() => undefined);
  return folder === undefined ? undefined : join(folder, basename(path));
}
