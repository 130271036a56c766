import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { freePort } from "../src/sweep/free-port.js";
import { runSweep } from "../src/sweep/run-sweep.js";
import { REPO_ROOT, tempDir } from "./helpers.js";

const ENGINE = join(REPO_ROOT, "packages/cli/test/fixtures/sweep/engine.mjs");
const TINY_CATALOG = join(REPO_ROOT, "packages/cli/test/fixtures/sweep/tiny-catalog.yaml");

describe("a disaggregated sweep whose spec names each pool's GPUs", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let path: string | undefined;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-roles-"));
    const bin = join(dir, "bin");
    await mkdir(bin);
    // nvidia-smi as documented, on a node of three GPUs at a steady 100, 300 and 50 W
    await writeFile(
      join(bin, "nvidia-smi"),
      `#!/usr/bin/env bash
case "$*" in *--query-gpu=index*) printf '0\\n1\\n2\\n'; exit 0;; esac
period=0.05
while [ $# -gt 0 ]; do [ "$1" = "-lms" ] && period=$(awk "BEGIN{print $2/1000}"); shift; done
trap 'exit 0' TERM
while true; do
  t=$(date '+%Y/%m/%d %H:%M:%S.%3N')
  printf '%s, 0, 100.00\\n%s, 1, 300.00\\n%s, 2, 50.00\\n' "$t" "$t" "$t"
  sleep "$period"
done
`,
    );
    await chmod(join(bin, "nvidia-smi"), 0o755);
    path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path}`;
    process.env.INFERMARK_CATALOG = TINY_CATALOG;
  });
  afterAll(async () => {
    process.env.PATH = path;
    delete process.env.INFERMARK_CATALOG;
    await cleanup();
  });

  it("integrates the pools' GPUs only and splits the energy by role", async () => {
    const specPath = join(dir, "disagg.yaml");
    await writeFile(
      specPath,
      stringify({
        name: "roles",
        model: "tiny",
        modelId: "tiny-model",
        hardware: "h200",
        framework: "vllm",
        precision: "fp8",
        scenarios: [{ isl: 32, osl: 64, rangeRatio: 1 }],
        search: {
          concurrency: [2],
          disaggregated: {
            prefill: { workers: [1], tp: [1], gpuIds: [0] },
            decode: { workers: [1], tp: [1], gpuIds: [1] },
          },
        },
        server: {
          kind: "command",
          command: `node ${ENGINE} --port {{port}} --model {{modelId}}`,
          port: await freePort(),
        },
        readiness: { timeoutS: 10, intervalS: 0.1 },
        limits: { requests: 4, warmupPerConcurrency: 0, stopGraceS: 2 },
        power: "nvidia-smi",
      }),
    );
    const r = await runSweep(specPath, {
      outputDir: join(dir, "out"),
      ingest: false,
      cwd: REPO_ROOT,
    });
    expect(r.points.map((p) => [p.name, p.status])).toEqual([
      ["tiny-h200-vllm-fp8-p1xtp1-d1xtp1-32x64-c2", "done"],
    ]);
    const point = PointResult.parse(JSON.parse(await readFile(r.points[0]!.path!, "utf8")));
    const energy = point.energy!;
    expect([energy.valid, energy.reasons]).toEqual([true, []]);
    // GPU 2 serves neither pool: left out, so the 2 GPUs of the configuration are what was integrated
    expect([...new Set(energy.samples!.map((s) => s.gpu))].sort()).toEqual([0, 1]);
    expect(energy.avgPowerW).toBeCloseTo(200, 6);
    // prefill GPU 0 draws a quarter of the energy, decode GPU 1 three quarters
    const { inputTokens, outputTokens } = point.metrics;
    expect((energy.jPerInputToken! * inputTokens!) / energy.energyJ!).toBeCloseTo(0.25, 9);
    expect((energy.jPerOutputToken! * outputTokens!) / energy.energyJ!).toBeCloseTo(0.75, 9);
    expect(point.extra?.sweep).toMatchObject({ gpuRoles: { prefill: [0], decode: [1] } });
  }, 60_000);
});
