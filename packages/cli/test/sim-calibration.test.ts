import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { predictSweep } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
