import { spawnSync } from "node:child_process";
import { chmodSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A folder `makeReadOnly` made unwritable: `undo` gives write access back; `skip` says why it could not. */
export interface ReadOnlyFolder {
  /** Why the folder is still writable for this process (the test cannot run here), or undefined. */
  skip?: string;
  undo(): void;
}

const chattr = (flag: "+i" | "-i", paths: readonly string[]) =>
  spawnSync("chattr", [flag, ...paths], { encoding: "utf8" });

/**
 * Makes `dir` and the files in it unwritable for this process, as a store in a read-only folder is: mode 555 and
 * 444, and for root, whom modes do not stop, the immutable attribute too (`chattr +i`, which stops root; it needs
 * CAP_LINUX_IMMUTABLE and a file system that has it, such as ext4). Checked by trying to make a file in it: when
 * that still works, `skip` says so. `undo` gives write access back (call it before removing the folder).
 * @example const ro = makeReadOnly(dir); try { ... } finally { ro.undo(); }
 */
export function makeReadOnly(dir: string): ReadOnlyFolder {
  const files = readdirSync(dir).map((name) => join(dir, name));
  for (const file of files) chmodSync(file, 0o444);
  chmodSync(dir, 0o555);
  const root = process.getuid?.() === 0;
  const immutable = root && chattr("+i", [...files, dir]).status === 0;
  const undo = () => {
    if (immutable) chattr("-i", [dir, ...files]);
    chmodSync(dir, 0o755);
    for (const file of files) chmodSync(file, 0o644);
  };
  const probe = join(dir, ".writable");
  try {
    writeFileSync(probe, "");
    rmSync(probe);
    return {
      skip: `${dir} stays writable for this process (${root ? "root, and chattr +i did not work here" : "mode 555 did not stop it"})`,
      undo,
    };
  } catch {
    return { undo };
  }
}
