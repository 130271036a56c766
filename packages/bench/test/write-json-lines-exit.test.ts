import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { pause } from "./raw-http-server.js";

it("a process that exits while it writes a JSONL file (process.exit on Ctrl-C) leaves neither the file nor its temporary file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "infermark-exit-"));
  try {
    const child = spawn(
      process.execPath,
      [
        "--conditions=infermark-source",
        "--import",
        "tsx",
        fileURLToPath(new URL("fixtures/forced-exit/write-then-exit.ts", import.meta.url)),
        join(dir, "requests-c8.jsonl"),
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    // waits for the temporary file (a state, not a duration): the write is then under way, far from done
    while ((await readdir(dir)).length === 0) await pause(10);
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(await readdir(dir)).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
