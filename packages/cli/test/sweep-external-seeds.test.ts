import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type PointResult, planSweep, SweepSpec } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type CliResult, runCli, simServing, tempDir } from "./helpers.js";
import { TEST_HEALTH_BOUNDS } from "./tiny-spec.js";

/*
 * A sweep against an external server: one warm server, its prefix cache on, for every configuration and every
 * re-measure. Two scenarios of one ISL at one concurrency drew the same prompts (`bench.seed + concurrency`), so the
 * second was answered from the cache and marked invalid, and a re-measure (--force, --retry-invalid, a GitHub re-run)
 * sent the first's prompts again. The real `sim serve` and the real CLI, each in a child process.
 */

/** Starts `sim serve` (llama70b on 8 H200, 50x) on a free port, gives `use` its base URL, stops it after. */
const serving = <T>(use: (baseUrl: string) => Promise<T>): Promise<T> =>
  simServing(
    ["--model", "llama70b", "--hardware", "h200", "--tp", "8", "--speed", "50"],
    (_, url) => use(url),
  );

const SERVERS = ["llama70b-h200-vllm-fp8-tp8-512x8", "llama70b-h200-vllm-fp8-tp8-512x16"];
const POINTS = SERVERS.map((s) => `${s}-c4`);

/** The spec: two scenarios of ISL 512 at concurrency 4 against `baseUrl`, 8 measured requests a point. */
const externalSweep = (baseUrl: string) => ({
  name: "external-seeds",
  model: "llama70b",
  hardware: "h200",
  framework: "vllm",
  precision: "fp8",
  scenarios: [
    { isl: 512, osl: 8, rangeRatio: 1 },
    { isl: 512, osl: 16, rangeRatio: 1 },
  ],
  search: { tp: [8], concurrency: [4] },
  server: { kind: "external", baseUrl },
  readiness: { timeoutS: 30, intervalS: 0.1 },
  limits: { requests: 8, warmupPerConcurrency: 0, requestTimeoutS: 60, stopGraceS: 2 },
  power: "none",
  bench: { healthBounds: TEST_HEALTH_BOUNDS },
});

/** What a point's file says of the measurement: valid or not (why), its seed, attempt and fingerprint. */
interface Measured {
  valid: boolean;
  reasons: string[];
  seed: number | undefined;
  attempt: unknown;
  fingerprint: string | undefined;
}

let work: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  work = await tempDir("infermark-external-seeds-");
});
afterAll(async () => {
  await work.cleanup();
});

describe("infermark sweep against one warm external server", () => {
  it("draws each scenario's prompts and each re-measure's from a seed of its own, so the cache serves none", async () => {
    const specPath = join(work.dir, "external.yaml");
    const out = join(work.dir, "out");
    const file = (i: number) => join(out, SERVERS[i]!, `${POINTS[i]}.json`);
    const read = async (i: number): Promise<Measured> => {
      const p = JSON.parse(await readFile(file(i), "utf8")) as PointResult;
      return {
        valid: p.validity.valid,
        reasons: p.validity.reasons,
        seed: p.config.workload.seed,
        attempt: (p.extra?.sweep as { attempt?: unknown } | undefined)?.attempt,
        fingerprint: p.run.specFingerprint,
      };
    };
    // no CI re-run's attempt: the seeds are the output folder's alone
    const sweep = (...more: string[]): Promise<CliResult> =>
      runCli(["sweep", specPath, "--output-dir", out, "--no-ingest", ...more], {
        env: { GITHUB_RUN_ATTEMPT: "" },
        timeoutMs: 150_000,
      });

    const runs = await serving(async (baseUrl) => {
      const spec = externalSweep(baseUrl);
      await writeFile(specPath, stringify(spec));
      const fingerprints = planSweep(SweepSpec.parse(spec)).points.map((p) => p.fingerprint);

      const first = await sweep();
      const firstPoints = [await read(0), await read(1)];
      // every point again on the same warm server
      const forced = await sweep("--force");
      const forcedPoints = [await read(0), await read(1)];
      // a point kept invalid (as a cache-served one was) is measured again by --retry-invalid
      const kept = JSON.parse(await readFile(file(1), "utf8")) as PointResult;
      kept.validity = { valid: false, reasons: ["marked invalid by the test"] };
      await writeFile(file(1), JSON.stringify(kept));
      const retried = await sweep("--retry-invalid");
      const retriedPoints = [await read(0), await read(1)];
      return { fingerprints, first, firstPoints, forced, forcedPoints, retried, retriedPoints };
    });

    const valid = (seed: number | undefined, attempt: unknown, i: number): Measured => ({
      valid: true,
      reasons: [],
      seed,
      attempt,
      fingerprint: runs.fingerprints[i],
    });
    // two scenarios of ISL 512 at c4: valid both, each from its own seed
    expect([runs.first.code, runs.first.stdout]).toEqual([
      0,
      `2 measured, 0 already measured, 0 failed; results in ${out}\n`,
    ]);
    const [s0, s1] = runs.firstPoints.map((p) => p.seed);
    expect(runs.firstPoints).toEqual([valid(s0, undefined, 0), valid(s1, undefined, 1)]);
    expect(s0).not.toBe(s1);

    // --force: both measured again from new seeds (the server cached the first ones), recorded as attempt 1, under
    // the same fingerprints
    expect([runs.forced.code, runs.forced.stdout]).toEqual([
      0,
      `2 measured, 0 already measured, 0 failed; results in ${out}\n`,
    ]);
    const [f0, f1] = runs.forcedPoints.map((p) => p.seed);
    expect(runs.forcedPoints).toEqual([valid(f0, 1, 0), valid(f1, 1, 1)]);
    expect(new Set([s0, s1, f0, f1]).size).toBe(4);

    // --retry-invalid: the invalid point alone, from a third seed (attempt 2), valid; the other kept as it was
    expect([runs.retried.code, runs.retried.stdout]).toEqual([
      0,
      `1 measured, 1 already measured, 0 failed; results in ${out}\n`,
    ]);
    const r1 = runs.retriedPoints[1]!.seed;
    expect(runs.retriedPoints).toEqual([valid(f0, 1, 0), valid(r1, 2, 1)]);
    expect(new Set([s0, s1, f0, f1, r1]).size).toBe(5);
  }, 300_000);
});
