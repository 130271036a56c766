import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";

/** `sim predict` of DeepSeek-R1 on 8 H200, a short workload. */
const PREDICT = [
  "sim",
  "predict",
  "--model",
  "dsr1",
  "--hardware",
  "h200",
  "--tp",
  "8",
  "--isl",
  "1024",
  "--osl",
  "64",
  "--requests",
  "4",
];

describe("infermark sim predict", () => {
  it.each(["0", "abc", "1,,2", "-1"])(
    "refuses --rate %s with one line naming the flag (it used to run forever)",
    async (rate) => {
      const r = await runCli([...PREDICT, "--rate", rate], { timeoutMs: 30_000 });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")[0]).toBe(
        `error: option '--rate <list>' argument '${rate}' is invalid. --rate expects a comma-separated list of positive numbers, got "${rate}"`,
      );
    },
    40_000,
  );

  it("caps every --rate level with --concurrency (only the first level was capped)", async () => {
    const [capped, levels] = await Promise.all([
      runCli([...PREDICT, "--rate", "20,40", "--concurrency", "2", "--json"]),
      runCli([...PREDICT, "--rate", "20,40", "--concurrency", "2,4"]),
    ]);
    expect([capped.code, capped.stderr]).toEqual([0, ""]);
    const points = JSON.parse(capped.stdout) as { config: { load: unknown } }[];
    expect(points.map((p) => p.config.load)).toEqual([
      { mode: "rate", rate: 20, arrival: "poisson", requests: 4, concurrency: 2 },
      { mode: "rate", rate: 40, arrival: "poisson", requests: 4, concurrency: 2 },
    ]);
    expect([levels.code, levels.stdout, levels.stderr]).toEqual([
      2,
      "",
      "infermark: --concurrency with --rate is the most requests in flight at every rate level: give one number, got 2,4\n",
    ]);
  }, 60_000);

  it("writes --output-dir files for a model and GPU given as files (their paths made the file names)", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const model = join(dir, "llama3-8b.json");
      const gpu = join(dir, "gpu.yaml");
      await writeFile(
        model,
        JSON.stringify({
          hidden_size: 4096,
          intermediate_size: 14336,
          max_position_embeddings: 8192,
          num_attention_heads: 32,
          num_hidden_layers: 32,
          num_key_value_heads: 8,
          vocab_size: 128256,
        }),
      );
      await writeFile(
        gpu,
        "hbmGb: 96\nhbmTbps: 1.8\ntflops: { bf16: 500, fp8: 1000 }\nscaleUpGBps: 64\nscaleUpDomain: 1\nnicGbps: 400\n",
      );
      const out = join(dir, "out");
      const r = await runCli([
        ...PREDICT.slice(0, 2),
        "--model",
        model,
        "--hardware",
        gpu,
        "--isl",
        "128",
        "--osl",
        "16",
        "--concurrency",
        "2",
        "--requests",
        "4",
        "--output-dir",
        out,
      ]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const slug = (path: string) =>
        path
          .toLowerCase()
          .replace(/[^a-z0-9.]+/g, "-")
          .slice(1);
      expect(await readdir(out)).toEqual([`sim-${slug(model)}-${slug(gpu)}-128-16-conc-2.json`]);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
