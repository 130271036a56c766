// Preloaded (`--import`) into CLI processes that a test starts at the same moment: it loads the CLI's modules, says
// it is ready (a file `ready-<pid>` in INFERMARK_TEST_START_DIR), then waits for a file `go` there, so that the
// processes' work (opening the store, migrating it, ingesting) begins together rather than a process start apart.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

await import("../src/cli.js");
const dir = process.env.INFERMARK_TEST_START_DIR;
if (dir) {
  writeFileSync(join(dir, `ready-${process.pid}`), "");
  while (!existsSync(join(dir, "go"))) await new Promise((resolve) => setTimeout(resolve, 2));
}
