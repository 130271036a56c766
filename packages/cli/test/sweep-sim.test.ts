import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { resolveSimConfig, steadyState } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runCli, tempDir } from "./helpers.js";

/** A simulator sweep of one point: DeepSeek-R1 on 8 H200 at batch 1, served 10 times faster than real time. */
function simSpec(over: Record<string, unknown> = {}) {
  return {
    name: "sim",
    model: "dsr1",
    modelId: "deepseek-ai/DeepSeek-R1-0528",
    hardware: "h200",
    framework: "sim",
    precision: "fp8",
    scenarios: [{ isl: 256, osl: 64, rangeRatio: 1 }],
    search: { tp: [8], concurrency: [1] },
    server: { kind: "simulator", speed: 10 },
    readiness: { timeoutS: 30, intervalS: 0.1 },
    limits: { requests: 3, warmupPerConcurrency: 1, requestTimeoutS: 60, stopGraceS: 5 },
    power: "none",
    ...over,
  };
}

const POINT = "dsr1-h200-sim-fp8-tp8-256x64/dsr1-h200-sim-fp8-tp8-256x64-c1.json";

describe("infermark sweep with a simulator recipe (infermark sim serve --speed 10)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-sim-"));
  });
  afterAll(() => cleanup());

  // the simulator's own batch-1 TPOT (about 9 ms on 8 H200), as `sim predict` gives it
  const engineTpotS = steadyState(
    resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8 }),
    256,
    64,
    1,
  ).tpotS;

  it.each([
    ["the sweep's own time scale", {}],
    ["bench: {timeScale: auto}", { bench: { timeScale: "auto" } }],
  ])(
    "reports the simulated engine's times, scaled once (%s)",
    async (label, over) => {
      const name = label.includes("auto") ? "auto" : "default";
      const specPath = join(dir, `${name}.yaml`);
      await writeFile(specPath, stringify(simSpec(over)));
      const out = join(dir, name);
      const r = await runCli(["sweep", specPath, "--output-dir", out, "--no-ingest"], {
        timeoutMs: 120_000,
      });
      expect([r.code, r.stdout.trim()]).toEqual([
        0,
        `1 measured, 0 already measured, 0 failed; results in ${out}`,
      ]);
      const point = PointResult.parse(JSON.parse(await readFile(join(out, POINT), "utf8")));
      expect(point.run.source).toBe("simulated");
      expect(point.extra?.timeScale).toBe(10);
      expect(point.extra?.sweep).toMatchObject({ timeScale: 10 });
      expect(point.metrics.tpot!.median! / engineTpotS).toBeGreaterThan(0.85);
      expect(point.metrics.tpot!.median! / engineTpotS).toBeLessThan(1.2);
    },
    130_000,
  );
});
