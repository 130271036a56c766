import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, rmSync } from "node:fs";
import { rename, rm } from "node:fs/promises";

/** Temporary files being written now, removed if the process exits meanwhile. */
const unfinished = new Set<string>();

/**
 * Writes one JSON document a line to `path`, streamed and atomic: the lines go to a temporary file beside it
 * (`<path>.<pid>.<8 hex digits>.tmp`, its writer's own, so that two writers of one path never mix their lines),
 * which is renamed over `path` only once every line is on disk, so a crash or a failed write leaves the old file or
 * none, never half a file. A process that exits while it writes (`process.exit` on a second Ctrl-C, an uncaught
 * error) removes the temporary file as it goes; one killed outright (SIGKILL) leaves it, named so that no reader
 * takes it for a result. Streamed, because a level's request records can be more text than one JavaScript string
 * holds (2^29 - 24 characters, about 512 MiB: 2,560 requests of 8,192 streamed tokens are about 1 GB of JSONL).
 * @example await writeJsonLines("requests-c64.jsonl", level.records);
 */
export async function writeJsonLines(path: string, docs: Iterable<unknown>): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  removeOnExit(tmp);
  const out = createWriteStream(tmp);
  const failed = once(out, "error").then(([error]) => {
    throw error;
  });
  failed.catch(() => {}); // awaited below; an error between two awaits must not go unhandled
  try {
    for (const doc of docs) {
      if (!out.write(`${JSON.stringify(doc)}\n`)) await Promise.race([once(out, "drain"), failed]);
    }
    out.end();
    await Promise.race([once(out, "close"), failed]);
    await rename(tmp, path);
  } catch (error) {
    // the file is opened (and so made) asynchronously: a document that fails at once can beat the open, which then
    // makes the file after an `rm`; removed once the stream has closed
    if (!out.closed) {
      const closed = once(out, "close").catch(() => {});
      out.destroy();
      await closed;
    }
    await rm(tmp, { force: true });
    throw error;
  } finally {
    unfinished.delete(tmp);
  }
}

let exitHooked = false;

function removeOnExit(tmp: string): void {
  unfinished.add(tmp);
  if (exitHooked) return;
  exitHooked = true;
  process.on("exit", () => {
    for (const file of unfinished) rmSync(file, { force: true });
  });
}
