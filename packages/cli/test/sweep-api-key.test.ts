import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { freePort } from "../src/sweep/free-port.js";
import { REPO_ROOT, runCli, tempDir } from "./helpers.js";

// A sweep against a server that wants an API key (as vLLM's --api-key: every /v1 route, the model list included),
// the key read from the environment as `infermark bench` reads it, and written nowhere.

const ENGINE = join(REPO_ROOT, "packages/cli/test/fixtures/sweep/engine.mjs");
const TINY_CATALOG = join(REPO_ROOT, "packages/cli/test/fixtures/sweep/tiny-catalog.yaml");
const KEY = "sk-live-from-the-environment-5501";
const NO_KEY = { INFERMARK_API_KEY: "", OPENAI_API_KEY: "", INFERMARK_CATALOG: TINY_CATALOG };

/** One configuration of one level, whose server prints the key (as engines print their arguments) and wants it. */
async function writeSpec(
  path: string,
  variable: string,
  bench: Record<string, unknown> = {},
  before = "",
) {
  const spec = {
    name: "keyed",
    model: "tiny",
    modelId: "tiny-model",
    hardware: "h200",
    framework: "vllm",
    precision: "fp8",
    scenarios: [{ isl: 32, osl: 4, rangeRatio: 1 }],
    search: { tp: [1], concurrency: [2] },
    server: {
      kind: "command",
      command: `${before}echo "engine args: api_key=$${variable}" && node ${ENGINE} --port {{port}} --model {{modelId}} --api-key-env ${variable}`,
      port: await freePort(),
    },
    readiness: { timeoutS: 10, intervalS: 0.1 },
    limits: { requestsPerConcurrency: 3, warmupPerConcurrency: 0, stopGraceS: 2 },
    power: "none",
    bench,
  };
  await writeFile(path, stringify(spec));
}

/** Every file under `dir`, with its text. */
async function filesUnder(dir: string): Promise<[string, string][]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(
        async (e) =>
          [join(e.parentPath, e.name), await readFile(join(e.parentPath, e.name), "utf8")] as [
            string,
            string,
          ],
      ),
  );
}

describe("infermark sweep against a server that wants an API key", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-key-"));
  });
  afterAll(() => cleanup());

  it.each([
    ["INFERMARK_API_KEY", {}],
    ["OPENAI_API_KEY", {}],
    // a name that does not look secret: its value is redacted all the same
    ["GATEWAY_AUTH", { apiKeyEnv: "GATEWAY_AUTH" }],
  ])("sends the key of $%s with every request and writes it nowhere", async (variable, bench) => {
    const spec = join(dir, `${variable}.yaml`);
    await writeSpec(spec, variable, bench);
    const out = join(dir, variable);
    const r = await runCli(["sweep", spec, "--output-dir", out, "--no-ingest"], {
      env: { ...NO_KEY, [variable]: KEY },
    });
    // before, no key was sent: every request answered 401 ("errors 6 (invalid)")
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 measured, 0 already measured, 0 failed");
    const files = await filesUnder(out);
    const point = PointResult.parse(
      JSON.parse(files.find(([path]) => path.endsWith("-c2.json"))![1]),
    );
    expect([point.errors.total, point.metrics.completed]).toEqual([0, 6]);
    const log = files.find(([path]) => path.endsWith("server.log"))![1];
    expect(log).toContain("engine args: api_key=***\n");
    for (const [path, text] of files) expect([path, text.includes(KEY)]).toEqual([path, false]);
    expect(r.stdout.includes(KEY) || r.stderr.includes(KEY)).toBe(false);
  });

  it("refuses a named variable that is not set before any server starts; plans without it", async () => {
    const spec = join(dir, "unset.yaml");
    const marker = join(dir, "unset-started");
    await writeSpec(spec, "GATEWAY_AUTH", { apiKeyEnv: "GATEWAY_AUTH" }, `touch ${marker} && `);
    const r = await runCli(["sweep", spec, "--output-dir", join(dir, "unset"), "--no-ingest"], {
      env: NO_KEY,
    });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      "infermark: bench.apiKeyEnv: environment variable GATEWAY_AUTH is not set\n",
    ]);
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
    // a CI plan job has no secrets
    const planned = await runCli(["plan", spec], { env: NO_KEY });
    expect([planned.code, planned.stderr]).toEqual([0, ""]);
  });

  it("refuses a key written in the spec file, in one line that does not repeat it", async () => {
    const spec = join(dir, "literal.yaml");
    await writeSpec(spec, "INFERMARK_API_KEY", { apiKey: KEY });
    const out = ["--output-dir", join(dir, "literal")];
    for (const args of [
      ["plan", spec],
      ["sweep", spec, ...out],
    ]) {
      const r = await runCli(args, { env: NO_KEY });
      expect([args[0], r.code, r.stderr]).toEqual([
        args[0],
        1,
        "infermark: bench.apiKey: a key in a spec file is committed with it; export it in an environment variable and name that with bench.apiKeyEnv (default INFERMARK_API_KEY, else OPENAI_API_KEY)\n",
      ]);
    }
  });
});
