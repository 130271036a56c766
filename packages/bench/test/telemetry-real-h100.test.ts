import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measuredEnergy } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { nvidiaSmiArgs, parseNvidiaSmiLine } from "../src/index.js";

// Captured on a real NVIDIA H100 80GB HBM3 (driver 580.159.04) by bench/gpu/nvidia-check.sh: the exact
// command the sampler runs (`nvidia-smi` + nvidiaSmiArgs(100)) while the GPU idled, ran GEMMs, ran 8k x 8k
// BF16 matrix products for 2 s, and idled again. Expected energies were integrated independently (numpy).
const FIXTURE = join(
  dirname(fileURLToPath(import.meta.url)),
  "fixtures/telemetry/nvidia-smi-power-h100-real.csv",
);

describe("nvidia-smi power output of a real H100", () => {
  it("is what the sampler asks for", () => {
    expect(nvidiaSmiArgs(100)).toEqual([
      "--query-gpu=timestamp,index,power.draw",
      "--format=csv,noheader,nounits",
      "-lms",
      "100",
    ]);
  });

  it("parses every line, 100 ms apart, and shows the load", async () => {
    const lines = (await readFile(FIXTURE, "utf8")).trimEnd().split("\n");
    const readings = lines.map(parseNvidiaSmiLine);
    expect(readings.every((r) => r !== undefined)).toBe(true);
    const rs = readings.filter((r) => r !== undefined);
    expect(rs).toHaveLength(143);
    expect(new Set(rs.map((r) => r.gpu))).toEqual(new Set([0]));
    const gaps = rs.slice(1).map((r, i) => r.epochMs - rs[i]!.epochMs);
    expect(Math.min(...gaps)).toBe(100);
    expect(Math.max(...gaps)).toBe(103);
    const watts = rs.map((r) => r.watts);
    expect(Math.min(...watts)).toBe(71.37);
    expect(Math.max(...watts)).toBe(704.12); // at the 700 W power limit
    expect(rs[0]!.epochMs).toBe(new Date(2026, 10, 27, 8, 15, 35, 684).getTime());
  });

  it("integrates to the energy computed independently", async () => {
    const rs = (await readFile(FIXTURE, "utf8"))
      .trimEnd()
      .split("\n")
      .map(parseNvidiaSmiLine)
      .filter((r) => r !== undefined);
    const t0 = rs[0]!.epochMs;
    const samples = rs.map((r) => ({ t: r.epochMs - t0, gpu: r.gpu, watts: r.watts }));
    const whole = measuredEnergy({ samples, window: { startMs: 0, endMs: 14_233 }, gpus: 1 });
    expect(whole.valid).toBe(true);
    expect(whole.energyJ).toBeCloseTo(2713.841, 2);
    // the busy 3 s, edges interpolated between samples
    const busy = measuredEnergy({
      samples,
      window: { startMs: 9_050, endMs: 12_050 },
      gpus: 1,
      tokens: { input: 0, output: 1000 },
    });
    expect(busy.energyJ).toBeCloseTo(1599.1, 1);
    expect(busy.avgPowerW).toBeCloseTo(533.03, 1);
    expect(busy.jPerOutputToken).toBeCloseTo(1.5991, 3);
  });
});
