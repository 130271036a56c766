import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { predictSweep } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planSpecFile } from "../src/commands/plan.js";
import { runCli, tempDir } from "./helpers.js";

/** A calibration file as `sim calibrate -o` writes it, with factors for two hardware/framework pairs. */
const CALIBRATION = `comment: infermark sim calibrate
factors:
  h200/trt:
    memory: 0.85
  b200/vllm:
    memory: 0.6
`;

let dir: string;
let cleanup: () => Promise<void>;
let calibration: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  calibration = join(dir, "calib.yaml");
  await writeFile(calibration, CALIBRATION);
});
afterAll(() => cleanup());

describe("sim predict, explain and serve with --calibration", () => {
  const LAYOUT = ["--model", "dsr1", "--hardware", "h200", "--tp", "8"];
  const PREDICT = ["sim", "predict", ...LAYOUT, "--isl", "128", "--osl", "8", "--concurrency", "1"];
  const calibrated = (args: string[], framework?: string) =>
    runCli([
      ...args,
      "--calibration",
      calibration,
      ...(framework ? ["--framework", framework] : []),
    ]);

  it("refuse a file without factors for the run's hardware/framework, naming the key and the file's keys (the defaults were used without a word)", async () => {
    const [predict, explain, serve, noFramework] = await Promise.all([
      calibrated(PREDICT, "vllm"),
      calibrated(["sim", "explain", ...LAYOUT], "vllm"),
      calibrated(["sim", "serve", ...LAYOUT], "vllm"),
      calibrated(["sim", "explain", ...LAYOUT]),
    ]);
    const hint =
      "pass the --hardware and --framework it was calibrated for, or leave out --calibration";
    for (const r of [predict, explain, serve])
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        "",
        `infermark: --calibration ${calibration} has no factors for h200/vllm; it has b200/vllm, h200/trt: ${hint}\n`,
      ]);
    expect([noFramework.code, noFramework.stderr]).toEqual([
      2,
      `infermark: --calibration ${calibration} has no factors for h200/sim (--framework not given: sim); it has b200/vllm, h200/trt: ${hint}\n`,
    ]);
  }, 60_000);

  it("refuse a file with a factor that is not a usable number, naming the file, the entry and the factor (every figure was 0, exit 0)", async () => {
    const bad = join(dir, "bad-calib.yaml");
    await writeFile(
      bad,
      "factors:\n  h200/trt:\n    memory: 0.85\n  b200/vllm:\n    memory: fast\n",
    );
    // the entry at fault is another GPU's: the whole file is checked when it is read
    const r = await runCli([...PREDICT, "--framework", "trt", "--calibration", bad]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      `infermark: ${bad}: factors.b200/vllm: efficiency factor memory must be a share of the peak in (0, 1], got "fast"\n`,
    ]);
  }, 60_000);

  it("use the factors of the run's hardware/framework when the file has them", async () => {
    const r = await calibrated([...PREDICT, "--requests", "2", "--json"], "trt");
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const [point] = JSON.parse(r.stdout) as {
      run: { simulator: { efficiencySource: string; efficiency: { memory: number } } };
    }[];
    expect(point!.run.simulator.efficiencySource).toBe("calibration");
    expect(point!.run.simulator.efficiency.memory).toBe(0.85);
  }, 60_000);
});

describe("sim validate --calibration", () => {
  it("warns in one line on stderr how many hardware/framework groups the file has no factors for", async () => {
    // two measured points per GPU, as if from TensorRT-LLM: h200/trt has factors, b200/trt has none
    const files = ["h200", "b200"].map(async (hardware) => {
      const { points } = predictSweep(
        { model: "dsr1", hardware, tp: 8 },
        { isl: 128, osl: 8, concurrency: [1, 4], requests: 4 },
      );
      const measured = points.map((p) => ({
        ...p,
        run: { ...p.run, source: "measured" },
        config: { ...p.config, framework: "trt" },
      }));
      const path = join(dir, `${hardware}.jsonl`);
      await writeFile(path, `${measured.map((p) => JSON.stringify(p)).join("\n")}\n`);
      return path;
    });
    const paths = await Promise.all(files);
    const r = await runCli(["sim", "validate", ...paths, "--calibration", calibration]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `infermark: warning: --calibration ${calibration} has no factors for 1 of 2 hardware/framework groups (2 points, predicted with the default factors): b200/trt\n`,
    );
    expect(r.stdout).toContain("\n4 points, 0 skipped.");
  }, 60_000);
});

describe("a sweep's simulator recipe with options.calibration", () => {
  /** A small simulated sweep of DeepSeek-R1 as TensorRT-LLM on the given GPUs, its servers given `calibration`. */
  const sweepSpec = async (hardware: string, calibrationFile: string) => {
    const path = join(dir, "sweep.yaml");
    await writeFile(
      path,
      `name: s
model: dsr1
hardware: ${hardware}
framework: trt
precision: fp8
scenarios: [{isl: 128, osl: 8}, {isl: 256, osl: 8}]
search: {tp: [8], concurrency: [1]}
limits: {requests: 1, warmupPerConcurrency: 0}
power: none
server: {kind: simulator, speed: 100, options: {calibration: ${calibrationFile}}}
`,
    );
    return path;
  };

  it("refuses at plan time, before any server starts, a file without factors for some servers' GPU/framework, naming them, the keys and the file's keys (each such server failed when it started)", async () => {
    const spec = await sweepSpec("[h200, b200, mi355x]", "calib.yaml");
    const r = await runCli(["sweep", spec, "--no-ingest", "--output-dir", "out"], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      "infermark: server.options.calibration: calib.yaml has no factors for b200/trt (dsr1-b200-trt-fp8-tp8-128x8, dsr1-b200-trt-fp8-tp8-256x8), mi355x/trt (dsr1-mi355x-trt-fp8-tp8-128x8, dsr1-mi355x-trt-fp8-tp8-256x8); it has b200/vllm, h200/trt: fit factors for those GPUs with framework trt (infermark sim calibrate), take them out of hardware, or leave out server.options.calibration\n",
    ]);
  }, 60_000);

  it("plans when the file has every server's GPU/framework, and refuses one it cannot read", async () => {
    const { plan } = await planSpecFile(await sweepSpec("[H200]", "calib.yaml"), dir);
    expect(plan.servers.map((s) => s.name)).toEqual([
      "dsr1-h200-trt-fp8-tp8-128x8",
      "dsr1-h200-trt-fp8-tp8-256x8",
    ]);
    await expect(planSpecFile(await sweepSpec("[h200]", "nope.yaml"), dir)).rejects.toThrow(
      `${join(dir, "nope.yaml")}: cannot read the calibration file`,
    );
  });
});
