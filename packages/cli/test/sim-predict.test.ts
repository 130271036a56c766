import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GROUP_DIMENSIONS, type PointResult } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { type CliResult, REPO_ROOT, runCli, tempDir } from "./helpers.js";

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

/** A GPU spec file without a key or name field. */
const GPU_SPEC = join(REPO_ROOT, "packages/cli/test/fixtures/sim/rtx-6000.yaml");

/** What each `--json` run recorded for a dimension: the point's config value, and the group the dashboard puts it in. */
function recorded(runs: readonly CliResult[], dimension: "model" | "hardware"): unknown[][] {
  return runs.map((r) => {
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const [point] = JSON.parse(r.stdout) as PointResult[];
    return [point!.config[dimension], GROUP_DIMENSIONS[dimension](point!)];
  });
}

describe("infermark sim predict", () => {
  it.each(["0", "abc", "1,,2", "-1"])(
    "refuses --rate %s with one line naming the flag (it used to run forever)",
    async (rate) => {
      const r = await runCli([...PREDICT, "--rate", rate], { timeoutMs: 30_000 });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      // one line: the flag, what it expects, what it got, and the hint
      expect(r.stderr).toBe(
        `error: option '--rate <list>' argument '${rate}' is invalid. --rate expects a comma-separated list of positive numbers, got "${rate}" (run with --help for usage)\n`,
      );
    },
    40_000,
  );

  it("says under its table when the GPU's platform factor scaled the steps, and not when a calibration replaced it", async () => {
    const mi300x = PREDICT.map((a) => (a === "h200" ? "mi300x" : a));
    const dir = await tempDir("infermark-sim-platform-");
    const calibration = join(dir.dir, "calib.yaml");
    await writeFile(calibration, "factors:\n  mi300x/sim:\n    memory: 0.6\n");
    // Llama-3.3-70B (dense, GQA) runs none of the paths the factor was measured on: no factor, no note
    const llama = mi300x.map((a) => (a === "dsr1" ? "llama70b" : a));
    const [scaled, plain, calibrated, dense] = await Promise.all([
      runCli(mi300x),
      runCli(PREDICT),
      runCli([...mi300x, "--calibration", calibration]),
      runCli(llama),
    ]);
    await dir.cleanup();
    const note =
      'mi300x: every step term x1.35, the platform factor of the defaults (its serving software measured that much slower than the model; docs/simulator.md, "Platform factor"); --calibration replaces it';
    expect([scaled.code, scaled.stderr]).toEqual([0, ""]);
    expect(scaled.stdout.trim().split("\n").at(-1)).toBe(note);
    expect(plain.stdout).not.toContain("platform factor");
    expect([calibrated.code, calibrated.stderr]).toEqual([0, ""]);
    expect(calibrated.stdout).not.toContain("platform factor");
    expect([dense.code, dense.stderr]).toEqual([0, ""]);
    expect(dense.stdout).not.toContain("platform factor");
  }, 60_000);

  it("takes --seed 0 (the default it records) and --chunked-prefill, which reaches the engine", async () => {
    const [chunked, whole] = await Promise.all([
      runCli([
        ...PREDICT,
        "--seed",
        "0",
        "--chunked-prefill",
        "256",
        "--concurrency",
        "4",
        "--json",
      ]),
      runCli([...PREDICT, "--seed", "0", "--concurrency", "4", "--json"]),
    ]);
    const [a, b] = [chunked, whole].map((r) => {
      expect([r.code, r.stderr]).toEqual([0, ""]);
      return (JSON.parse(r.stdout) as PointResult[])[0]!;
    });
    const limits = (p: PointResult) => p.run.simulator?.limits as { chunkedPrefill?: number };
    expect(limits(a!).chunkedPrefill).toBe(256);
    expect(limits(b!).chunkedPrefill).toBe(8192);
    // 1,024-token prompts in chunks of 256 take four steps each, so the first token comes later
    expect(a!.metrics.ttft!.median).toBeGreaterThan(b!.metrics.ttft!.median!);
  }, 60_000);

  it("labels --rate levels by their rate in its table (every level showed the --concurrency cap)", async () => {
    const r = await runCli([...PREDICT, "--rate", "20,40", "--concurrency", "2"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const labels = r.stdout
      .trim()
      .split("\n")
      .slice(2)
      .map((line) => line.split(/\s{2,}/)[0]);
    expect(labels).toEqual(["20 req/s", "40 req/s"]);
  }, 60_000);

  it.each([
    [
      "--precision",
      "fp16",
      '--precision expects bf16, fp8 or fp4 (nvfp4 and mxfp4 read as fp4), got "fp16"',
    ],
    [
      "--kv-cache-dtype",
      "int8",
      '--kv-cache-dtype expects bf16, fp8 or fp4 (nvfp4 and mxfp4 read as fp4), got "int8"',
    ],
    [
      "--memory-fraction",
      "1.5",
      '--memory-fraction expects a share of the HBM in (0, 1], got "1.5"',
    ],
    ["--framework", " ", '--framework expects a name, got " "'],
    ["--fp8-gemm", "cutlass", '--fp8-gemm expects deepgemm or fallback, got "cutlass"'],
  ])(
    "refuses %s %s with one line naming the flag (it named no flag, or ran)",
    async (flag, value, expects) => {
      const r = await runCli([...PREDICT, "--concurrency", "1", flag, value]);
      expect([r.code, r.stdout]).toEqual([2, ""]);
      const placeholder = {
        "--precision": "p",
        "--kv-cache-dtype": "t",
        "--memory-fraction": "f",
        "--fp8-gemm": "kernel",
      };
      const arg = placeholder[flag as keyof typeof placeholder] ?? "name";
      expect(r.stderr).toBe(
        `error: option '${flag} <${arg}>' argument '${value}' is invalid. ${expects} (run with --help for usage)\n`,
      );
    },
    40_000,
  );

  it("runs SGLang's FP8 GEMMs without DeepGEMM with --fp8-gemm fallback, and refuses it in one line where they do not run", async () => {
    const b200 = [...PREDICT.slice(0, 5), "b200", ...PREDICT.slice(6), "--isl", "8192"];
    const [deepgemm, fallback, vllm] = await Promise.all([
      runCli([...b200, "--framework", "sglang", "--concurrency", "1", "--json"]),
      runCli([
        ...b200,
        "--framework",
        "sglang",
        "--concurrency",
        "1",
        "--json",
        "--fp8-gemm",
        "fallback",
      ]),
      runCli([...b200, "--framework", "vllm", "--concurrency", "1", "--fp8-gemm", "fallback"]),
    ]);
    expect([deepgemm.code, fallback.code]).toEqual([0, 0]);
    const [fast] = JSON.parse(deepgemm.stdout) as PointResult[];
    const [slow] = JSON.parse(fallback.stdout) as PointResult[];
    // an 8k prefill on one TP8 server: about twice as long with the fallback GEMMs
    const ttft = (p: PointResult | undefined) => p?.metrics.ttft?.median ?? Number.NaN;
    expect(ttft(slow) / ttft(fast)).toBeCloseTo(1.98, 1);
    expect(slow?.run.simulator?.fp8Gemm).toBe("fallback");
    expect(fast?.run.simulator?.fp8Gemm).toBeUndefined();
    expect([vllm.code, vllm.stdout, vllm.stderr]).toEqual([
      1,
      "",
      'infermark: FP8 GEMM kernel "fallback" (--fp8-gemm) runs SGLang\'s block-scaled FP8 GEMMs without DeepGEMM: it needs --precision fp8, a model with MLA attention or MoE experts and a --framework naming sglang; got fp8, dsr1, vllm\n',
    ]);
  }, 60_000);

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
      expect(recorded(runs, "model")).toEqual([
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

  it("refuses an --output-dir it cannot make in one line (a raw ENOTDIR came after the simulation)", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = join(dir, "a-file");
      await writeFile(file, "x");
      const r = await runCli([...PREDICT, "--concurrency", "1", "--output-dir", join(file, "out")]);
      expect([r.code, r.stdout, r.stderr]).toEqual([
        1,
        "",
        `infermark: --output-dir ${join(file, "out")}: cannot make the folder (a part of the path is a file)\n`,
      ]);
    } finally {
      await cleanup();
    }
  });

  it("names --requests when the simulation cannot hold that many (it said only 'Invalid array length')", async () => {
    const r = await runCli([...PREDICT, "--concurrency", "1", "--requests", "9007199254740991"]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      "",
      "infermark: --requests 9007199254740991: more requests than one simulation can hold (Invalid array length): give fewer\n",
    ]);
  });

  it.runIf(existsSync("/proc/self"))(
    "refuses an --output-dir in a folder that takes no new entries (/proc) in one line (it spun forever)",
    async () => {
      const r = await runCli([
        ...PREDICT,
        "--concurrency",
        "1",
        "--output-dir",
        "/proc/infermark-x",
      ]);
      expect([r.code, r.stdout, r.stderr]).toEqual([
        1,
        "",
        "infermark: --output-dir /proc/infermark-x: cannot make the folder (cannot create a folder in /proc)\n",
      ]);
    },
  );

  it("writes --output-dir files for a model and GPU given as files (their paths made the file names)", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const model = join(dir, "llama3-8b.json");
      await writeFile(model, JSON.stringify(LLAMA3_8B));
      const out = join(dir, "out");
      const r = await runCli([
        ...PREDICT.slice(0, 2),
        "--model",
        model,
        "--hardware",
        GPU_SPEC,
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
      expect(await readdir(out)).toEqual(["sim-llama3-8b-rtx-6000-128-16-conc-2.json"]);
    } finally {
      await cleanup();
    }
  }, 60_000);

  it("records a GPU spec file by its key, else its name, else the file's name, which the dashboard groups by, not by its path", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const spec = await readFile(GPU_SPEC, "utf8");
      const keyed = join(dir, "a.yaml");
      const titled = join(dir, "b.yaml");
      await writeFile(keyed, `${spec}key: rtx6000-bw\nname: RTX PRO 6000 Blackwell\n`);
      await writeFile(titled, `${spec}name: RTX PRO 6000 Blackwell\n`);
      const predict = (hardware: string, ...flags: string[]) =>
        runCli([
          ...PREDICT.slice(0, 2),
          "--model",
          "llama70b",
          "--tp",
          "8",
          "--hardware",
          hardware,
          "--isl",
          "128",
          "--osl",
          "8",
          "--concurrency",
          "1",
          "--requests",
          "2",
          "--json",
          ...flags,
        ]);
      const runs = await Promise.all([
        predict(GPU_SPEC),
        predict(keyed),
        predict(titled),
        predict(GPU_SPEC, "--hardware-name", "rtx-pro-6000"),
        predict("h200", "--hardware-name", "h200-nvl"),
      ]);
      expect(recorded(runs, "hardware")).toEqual([
        ["rtx-6000", "rtx-6000"],
        ["rtx6000-bw", "rtx6000-bw"],
        ["RTX PRO 6000 Blackwell", "RTX PRO 6000 Blackwell"],
        ["rtx-pro-6000", "rtx-pro-6000"],
        ["h200-nvl", "h200-nvl"],
      ]);
      const empty = await predict(GPU_SPEC, "--hardware-name", "");
      expect([empty.code, empty.stdout, empty.stderr]).toEqual([
        2,
        "",
        "infermark: --hardware-name expects a name, got an empty one\n",
      ]);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
