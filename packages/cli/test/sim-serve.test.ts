import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, spawnCli } from "./helpers.js";

/** A config.json of meta-llama/Llama-3.1-8B's sizes, in a folder named after the model. */
const LLAMA_CONFIG = join(REPO_ROOT, "packages/cli/test/fixtures/sim/Llama-3.1-8B/config.json");

/** A GPU spec file without a key or name field. */
const GPU_SPEC = join(REPO_ROOT, "packages/cli/test/fixtures/sim/rtx-6000.yaml");

/** Starts `sim serve` on a free port and returns its startup line (the port as PORT), then stops it. */
function startupLine(flags: readonly string[]): Promise<string> {
  const child = spawnCli(["sim", "serve", "--port", "0", ...flags]);
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!stdout.includes("\n")) return;
      child.kill("SIGTERM");
      resolve(stdout.split("\n")[0]!.replace(/:\d+\/v1/, ":PORT/v1"));
    });
    child.on("close", (code) => reject(new Error(`sim serve exited ${code}: ${stderr}`)));
  });
}

describe("infermark sim serve", () => {
  it("names the model id it serves and its GPU on its startup line, with the files they came from (it printed their paths)", async () => {
    const lines = await Promise.all([
      startupLine(["--model", LLAMA_CONFIG, "--hardware", "h100"]),
      startupLine(["--model", LLAMA_CONFIG, "--hardware", "h100", "--served-model-name", "llama"]),
      startupLine(["--model", "dsr1", "--hardware", "h200", "--tp", "8"]),
      startupLine(["--model", "llama70b", "--hardware", GPU_SPEC, "--tp", "8"]),
    ]);
    const tail = "at http://127.0.0.1:PORT/v1 (speed 1x); Ctrl-C to stop";
    expect(lines).toEqual([
      `infermark sim serving Llama-3.1-8B (${LLAMA_CONFIG}) on h100 ${tail}`,
      `infermark sim serving llama (${LLAMA_CONFIG}) on h100 ${tail}`,
      `infermark sim serving dsr1 on h200 ${tail}`,
      `infermark sim serving llama70b on rtx-6000 (${GPU_SPEC}) ${tail}`,
    ]);
  }, 60_000);
});
