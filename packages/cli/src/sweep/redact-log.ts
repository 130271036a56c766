import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";
import { redact } from "@infermark/bench";
import { withoutPasswords } from "../commands/without-passwords.js";
import { tempPathFor } from "./atomic-files.js";

/**
 * Replaces every secret value in a server's log with `***`, and the password of every URL in it by its form
 * (`withoutPasswords`: `postgres://u:***@db`, `HTTPS_PROXY=http://u:***@proxy`, a token user, `?token=***`), in place
 * (streamed line by line: an engine's log may be large; rewritten through a temporary file only when something is
 * hidden). A server writes its log itself (its stdout and stderr are the file), and engines print their arguments,
 * environment and the URLs they connect to as they start (vLLM logs its non-default arguments, `--api-key` among
 * them), so the sweep redacts the log once the server has stopped. A URL's password is hidden where it stands in a
 * URL only: hidden by value, a common word (`infermark`) would be hidden in every path. A log that cannot be read is
 * left as it is.
 * @example await redactLogFile("results/x/srv/server.log", ["sk-123"])
 */
export async function redactLogFile(path: string, secrets: readonly string[]): Promise<void> {
  const tmp = tempPathFor(path);
  let changed = false;
  try {
    const out = createWriteStream(tmp);
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const line of lines) {
      const clean = withoutPasswords(redact(line, secrets));
      if (clean !== line) changed = true;
      if (!out.write(`${clean}\n`)) await once(out, "drain");
    }
    out.end();
    await finished(out);
    if (changed) await rename(tmp, path);
  } catch {
    // unreadable or gone: nothing to redact
  } finally {
    if (!changed) await rm(tmp, { force: true });
  }
}
