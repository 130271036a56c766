import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { delimiter, join } from "node:path";
import { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { freePort } from "../src/sweep/free-port.js";
import { runSweep } from "../src/sweep/run-sweep.js";
import { fakeNvidiaSmi, REPO_ROOT, tempDir } from "./helpers.js";

const ENGINE = join(REPO_ROOT, "packages/cli/test/fixtures/sweep/engine.mjs");
const TINY_CATALOG = join(REPO_ROOT, "packages/cli/test/fixtures/sweep/tiny-catalog.yaml");

describe("a disaggregated sweep whose spec names each pool's GPUs", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let path: string | undefined;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-roles-"));
    // nvidia-smi as documented, on a node of three GPUs at a steady 100, 300 and 50 W; with FAKE_SMI_NA, a GPU
    // without power readings (nvidia-smi prints [N/A] for power.draw)
    const bin = await fakeNvidiaSmi(
      dir,
      [100, 300, 50],
      `[ -n "$FAKE_SMI_NA" ] && { trap 'exit 0' TERM; while true; do echo "$(date '+%Y/%m/%d %H:%M:%S.%3N'), 0, [N/A]"; sleep 0.05; done; }
[ -n "$FAKE_SMI_DIES" ] && { echo "Failed to initialize NVML: Driver/library version mismatch" >&2; exit 9; }`,
    );
    path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path}`;
    process.env.INFERMARK_CATALOG = TINY_CATALOG;
  });
  afterAll(async () => {
    process.env.PATH = path;
    delete process.env.INFERMARK_CATALOG;
    await cleanup();
  });

  /** A disaggregated spec of prefill GPU 0 and decode GPU 1 at `concurrency`; returns its path. */
  async function disaggSpec(
    name: string,
    concurrency: number[],
    more: Record<string, unknown> = {},
  ): Promise<string> {
    const specPath = join(dir, `${name}.yaml`);
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
          concurrency,
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
        ...more,
      }),
    );
    return specPath;
  }

  it("integrates the pools' GPUs only and splits the energy by role", async () => {
    const specPath = await disaggSpec("disagg", [2]);
    const summaries: string[] = [];
    const r = await runSweep(specPath, {
      outputDir: join(dir, "out"),
      ingest: false,
      cwd: REPO_ROOT,
      onEvent: (e) => e.kind === "point-done" && summaries.push(e.summary),
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
    // the point's line says its energy per output token beside its throughput
    expect(summaries).toEqual([
      expect.stringMatching(
        new RegExp(`, ${energy.jPerOutputToken!.toFixed(3)} J/output token, errors 0$`),
      ),
    ]);
  }, 60_000);

  it("reads a DCGM exporter at the spec's dcgmUrl, or at --dcgm-url", async () => {
    // dcgm-exporter's text format: GPU 0 at 120 W, GPU 1 at 240 W
    const exporter = createServer((_, res) =>
      res.end(
        [0, 1]
          .map(
            (gpu) => `DCGM_FI_DEV_POWER_USAGE{gpu="${gpu}",UUID="GPU-${gpu}"} ${120 * (gpu + 1)}`,
          )
          .join("\n"),
      ),
    );
    await new Promise<void>((r) => exporter.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(exporter.address() as AddressInfo).port}/metrics`;
    try {
      const measured = async (r: { points: { path?: string }[] }) =>
        PointResult.parse(JSON.parse(await readFile(r.points[0]!.path!, "utf8"))).energy!;
      // before, a sweep read only http://localhost:9400/metrics: "power: dcgm is not available"
      const fromSpec = await runSweep(
        await disaggSpec("dcgm", [2], { power: "dcgm", dcgmUrl: url }),
        {
          outputDir: join(dir, "dcgm"),
          ingest: false,
          cwd: REPO_ROOT,
        },
      );
      const energy = await measured(fromSpec);
      expect([energy.valid, energy.kind]).toEqual([true, "measured"]);
      expect(energy.avgPowerW).toBeCloseTo(180, 6);
      const fromFlag = await runSweep(await disaggSpec("dcgm-flag", [2], { power: "dcgm" }), {
        outputDir: join(dir, "dcgm-flag"),
        ingest: false,
        cwd: REPO_ROOT,
        dcgmUrl: url,
      });
      expect((await measured(fromFlag)).avgPowerW).toBeCloseTo(180, 6);
    } finally {
      await new Promise((r) => exporter.close(r));
    }
  }, 60_000);

  it("each point holds the samples of its own level, from a sampler that waited for its first one", async () => {
    const r = await runSweep(await disaggSpec("levels", [1, 2]), {
      outputDir: join(dir, "levels"),
      ingest: false,
      cwd: REPO_ROOT,
    });
    const [c1, c2] = await Promise.all(
      r.points.map(async (p) => PointResult.parse(JSON.parse(await readFile(p.path!, "utf8")))),
    );
    const times = (p: PointResult | undefined) => p!.energy!.samples!.map((s) => s.t);
    // before, the sweep's one sampler kept every sample since the sweep began: c2 held c1's too, and its start
    // did not wait for the new nvidia-smi's first line (c1's samples counted as one)
    expect(Math.min(...times(c2))).toBeGreaterThan(Math.max(...times(c1)));
    expect([c1!.energy!.valid, c2!.energy!.valid]).toEqual([true, true]);
  }, 60_000);

  /**
   * Sweeps one point of the disaggregated spec with the stand-in nvidia-smi behaving as `flag` (an environment
   * variable) says; the sweep's outcome statuses and the measured PointResult.
   */
  async function onePointWith(flag: string, name: string) {
    process.env[flag] = "1";
    try {
      const r = await runSweep(await disaggSpec(name, [1]), {
        outputDir: join(dir, name),
        ingest: false,
        cwd: REPO_ROOT,
      });
      const point = PointResult.parse(JSON.parse(await readFile(r.points[0]!.path!, "utf8")));
      return { statuses: r.points.map((p) => p.status), point };
    } finally {
      delete process.env[flag];
    }
  }

  it("a GPU that reads [N/A] gives the point an invalid energy naming nvidia-smi's line", async () => {
    const { statuses, point } = await onePointWith("FAKE_SMI_NA", "na");
    expect(statuses).toEqual(["done"]);
    expect(point.energy?.valid).toBe(false);
    expect(point.energy?.reasons).toHaveLength(1);
    expect(point.energy?.reasons[0]).toMatch(
      /^the power sampler failed: nvidia-smi: no power samples; its last line was "\d{4}\/\d\d\/\d\d [\d:.]+, 0, \[N\/A\]"$/,
    );
  }, 60_000);

  it("a sampler that cannot start costs the point its energy, not its measurement", async () => {
    // the probe (nvidia-smi --query-gpu=index) answers; the sampling run dies before its first line
    const { statuses, point } = await onePointWith("FAKE_SMI_DIES", "dies");
    // before, the point failed: "measurement failed: nvidia-smi: nvidia-smi exited with code 9 ..."
    expect(statuses).toEqual(["done"]);
    expect(point.metrics.completed).toBeGreaterThan(0);
    expect(point.energy).toMatchObject({
      valid: false,
      reasons: [
        "the power sampler failed: nvidia-smi: nvidia-smi exited with code 9 before its first sample: Failed to initialize NVML: Driver/library version mismatch",
      ],
    });
  }, 60_000);
});
