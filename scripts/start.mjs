// `npm start`: the quickstart. Until the simulator and dashboard land, it aggregates the bundled request records
// of examples/requests into a PointResult and prints its metrics (the InferenceX-style figures).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "packages/cli/bin/infermark.js");
if (!existsSync(join(root, "packages/cli/dist/cli.js"))) {
  const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const args = [
  "aggregate",
  "examples/requests/h200-dsr1-c8.jsonl",
  "--model", "dsr1", "--hardware", "h200", "--gpus", "8", "--framework", "vllm", "--precision", "fp8",
  "--isl", "1024", "--osl", "128", "--concurrency", "8", "--slo-ttft", "0.25",
  "-o", "examples/requests/h200-dsr1-c8.point.json",
];
const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: "inherit" });
process.exit(run.status ?? 1);
