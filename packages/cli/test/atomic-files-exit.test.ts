import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { CLI_COMMAND, tempDir } from "./helpers.js";

it("a sweep that exits while it writes a point file (process.exit on a second Ctrl-C) leaves no temporary file", async () => {
  const dir = await tempDir("infermark-atomic-exit-");
  try {
    // node with the source condition and tsx, as the CLI is run from source
    const [node, ...flags] = CLI_COMMAND.slice(0, -1);
    const fixture = fileURLToPath(
      new URL("fixtures/forced-exit/write-atomic-then-exit.ts", import.meta.url),
    );
    const child = spawn(node!, [...flags, fixture, join(dir.dir, "point.json")], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(await readdir(dir.dir)).toEqual([]);
  } finally {
    await dir.cleanup();
  }
});
