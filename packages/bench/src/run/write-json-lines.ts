import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";

/**
 * Writes one JSON document a line to `path`, streamed and atomic: the lines go to `<path>.tmp`, which is renamed
 * over `path` only once every line is on disk, so a crash or a failed write leaves the old file or none, never half
 * a file. Streamed, because a level's request records can be more text than one JavaScript string holds
 * (2^29 - 24 characters, about 512 MiB: 2,560 requests of 8,192 streamed tokens are about 1 GB of JSONL).
 * @example await writeJsonLines("requests-c64.jsonl", level.records);
 */
export async function writeJsonLines(path: string, docs: Iterable<unknown>): Promise<void> {
  const tmp = `${path}.tmp`;
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
  } catch (error) {
    out.destroy();
    await rm(tmp, { force: true });
    throw error;
  }
  await rename(tmp, path);
}
