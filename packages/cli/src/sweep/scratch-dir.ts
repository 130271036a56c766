import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join } from "node:path";

const PREFIX = "infermark-";

/** The scratch folders of servers not stopped yet, removed on a forced exit too (a second Ctrl-C, SIGTERM). */
const live = new Set<string>();
let removeOnExit = false;

/**
 * A new, empty folder for one server's start (`{{scratchDir}}`): `$TMPDIR/infermark-<server name>-XXXXXX`. Outside
 * the output folder, whose data files `infermark ingest` reads (an options file there would be rejected as a point),
 * and new at each start, so that no other configuration or sweep on the node, nor an earlier start's leftovers
 * (a discovery store), is seen by the server.
 * @example const dir = await makeScratchDir("dsr1-b200-trt-fp8-tp8-1k1k") // "/tmp/infermark-dsr1-b200-trt-fp8-tp8-1k1k-Ab12Cd"
 */
export async function makeScratchDir(serverName: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${PREFIX}${serverName}-`));
  live.add(dir);
  if (!removeOnExit) {
    removeOnExit = true;
    // a forced exit signals the servers and exits at once, without stopping them one by one
    process.once("exit", () => {
      for (const d of live) {
        try {
          rmSync(d, { recursive: true, force: true });
        } catch {
          // best effort, as when the server stops
        }
      }
    });
  }
  return dir;
}

/**
 * Removes a server's scratch folder once it has stopped; best effort (what it held is the server's own). A path
 * that is not a scratch folder of this machine's temporary folder (`$TMPDIR/infermark-*`, as a `server.state` an
 * earlier sweep wrote names it) is left alone: a record edited by hand never removes anything else.
 */
export async function removeScratchDir(dir: string | undefined): Promise<void> {
  if (!dir || !isScratchDir(dir)) return;
  live.delete(dir);
  await rm(dir, { recursive: true, force: true }).catch(() => {});
}

/** Whether a path names a scratch folder `makeScratchDir` makes here: directly in the temporary folder, `infermark-*`. */
export function isScratchDir(dir: unknown): dir is string {
  return (
    typeof dir === "string" &&
    isAbsolute(dir) &&
    dirname(dir) === tmpdir() &&
    basename(dir).startsWith(PREFIX) &&
    basename(dir).length > PREFIX.length
  );
}
