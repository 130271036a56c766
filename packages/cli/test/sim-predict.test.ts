import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GROUP_DIMENSIONS, type PointResult } from "@infermark/core";
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

/** The sizes of meta-llama/Llama-3.1-8B's config.json that the simulator reads. */
const LLAMA3_8B = {
  hidden_size: 4096,
  intermediate_size: 14336,
  max_position_embeddings: 8192,
  num_attention_heads: 32,
  num_hidden_layers: 32,
  num_key_value_heads: 8,
  vocab_size: 128256,
};

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

  it("records a config.json model by its name, which the dashboard groups by, not by the file's path", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const folder = join(dir, "Llama-3.1-8B");
      const snapshot = join(dir, "snapshot");
      await Promise.all([mkdir(folder), mkdir(snapshot)]);
      await writeFile(join(folder, "config.json"), JSON.stringify(LLAMA3_8B));
      const named = { ...LLAMA3_8B, _name_or_path: "meta-llama/Llama-3.1-8B" };
      await writeFile(join(snapshot, "config.json"), JSON.stringify(named));
      const predict = (model: string, ...flags: string[]) =>
        runCli([
          ...PREDICT,
          "--tp",
          "1",
          "--model",
          model,
          "--concurrency",
          "2",
          "--json",
          ...flags,
        ]);
      const runs = await Promise.all([
        predict(join(folder, "config.json")),
        predict(join(snapshot, "config.json")),
        predict(join(snapshot, "config.json"), "--model-name", "llama-8b-sft"),
        predict("dsr1", "--tp", "8", "--model-name", "DeepSeek-R1-0528"),
      ]);
      const models = runs.map((r) => {
        expect([r.code, r.stderr]).toEqual([0, ""]);
        const [point] = JSON.parse(r.stdout) as PointResult[];
        return [point!.config.model, GROUP_DIMENSIONS.model(point!)];
      });
      expect(models).toEqual([
        ["Llama-3.1-8B", "Llama-3.1-8B"],
        ["meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B"],
        ["llama-8b-sft", "llama-8b-sft"],
        ["DeepSeek-R1-0528", "DeepSeek-R1-0528"],
      ]);
      const empty = await predict(join(folder, "config.json"), "--model-name", " ");
      expect([empty.code, empty.stdout, empty.stderr]).toEqual([
        2,
        "",
        "infermark: --model-name expects a name, got an empty one\n",
      ]);
    } finally {
      await cleanup();
    }
  }, 60_000);

  it("writes --output-dir files for a model and GPU given as files (their paths made the file names)", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const model = join(dir, "llama3-8b.json");
      const gpu = join(dir, "gpu.yaml");
      await writeFile(model, JSON.stringify(LLAMA3_8B));
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
      expect(await readdir(out)).toEqual([`sim-llama3-8b-${slug(gpu)}-128-16-conc-2.json`]);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
