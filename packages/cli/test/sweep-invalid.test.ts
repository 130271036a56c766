import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { freePort } from "../src/sweep/free-port.js";
import { runCli, tempDir } from "./helpers.js";
import { TINY_CATALOG, tinySpec } from "./tiny-spec.js";

const VALID = "tiny-h200-vllm-fp8-tp1-32x8-c1";
const INVALID = "tiny-h200-vllm-fp8-tp1-32x16-c1";
const WHY = "server ignored max_tokens: 2 of 2 requests returned more tokens than asked";

/**
 * A sweep whose point comes out invalid (its server ignored max_tokens), run by the real CLI in a child process as
 * a CI job runs it: the exit status, the summary, `--json` and resume must tell an invalid point from a valid one.
 */
describe("infermark sweep with an invalid point (CI relies on the exit status)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const env = { INFERMARK_CATALOG: TINY_CATALOG };

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-invalid-"));
  });
  afterAll(async () => cleanup());

  it("exits 1, counts it apart, keeps it on resume, and re-measures it with --retry-invalid", async () => {
    // while `overrun` holds 16, the engine returns 2 tokens more than asked to the 32x16 configuration's requests
    const overrun = join(dir, "overrun");
    await writeFile(overrun, "16");
    const spec = tinySpec(
      await freePort(),
      {
        scenarios: [
          { isl: 32, osl: 8, rangeRatio: 1 },
          { isl: 32, osl: 16, rangeRatio: 1 },
        ],
        search: { tp: [1], concurrency: [1] },
      },
      ` --overrun-while ${overrun}`,
    );
    const specPath = join(dir, "invalid.yaml");
    await writeFile(specPath, stringify(spec));
    const out = join(dir, "out");
    const sweep = (...more: string[]) =>
      runCli(["sweep", specPath, "--output-dir", out, "--no-ingest", ...more], { env });

    const first = await sweep();
    expect(first.stderr).toContain(`done    ${INVALID}: `);
    expect(first.stdout).toBe(
      [
        `2 measured (1 invalid), 0 already measured, 0 failed; results in ${out}`,
        `invalid ${INVALID}: ${WHY}`,
        "",
      ].join("\n"),
    );
    expect(first.code).toBe(1);

    // resumed as it is: the invalid point is kept, and said to be, and no point of this run is invalid
    const kept = await sweep();
    const keptPath = join(out, "tiny-h200-vllm-fp8-tp1-32x16", `${INVALID}.json`);
    expect(kept.stderr).toContain(
      `skip    ${INVALID}: already measured, invalid (${WHY}); --retry-invalid measures it again (${keptPath})`,
    );
    expect(kept.stdout).toBe(
      `0 measured, 2 already measured (1 invalid, kept: --retry-invalid measures it again), 0 failed; results in ${out}\n`,
    );
    expect(kept.code).toBe(0);

    // plan --status reads the folder as the next run will: the invalid point measured, kept, and why
    const status = await runCli(["plan", specPath, "--status", out], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`${INVALID} .* measured \\(invalid\\)\n`));
    expect(status.stdout).toMatch(new RegExp(`${VALID} .* measured\n`));
    expect(status.stdout.split("\n").slice(-3)).toEqual([
      `in ${out}: 2 measured (1 invalid, kept by a resumed sweep: --retry-invalid measures it again), 0 failed, 0 to measure`,
      `invalid ${INVALID}: ${WHY}`,
      "",
    ]);
    const statusJson = JSON.parse(
      (await runCli(["plan", specPath, "--status", out, "--json"], { env })).stdout,
    );
    const states = statusJson.servers.flatMap((s: { points: { status: unknown }[] }) =>
      s.points.map((p) => p.status),
    );
    expect(states).toEqual([
      { state: "measured", path: join(out, "tiny-h200-vllm-fp8-tp1-32x8", `${VALID}.json`) },
      { state: "measured", path: keptPath, invalid: [WHY] },
    ]);

    // retried while the server still overruns: measured again, invalid again
    const again = await sweep("--retry-invalid", "--json");
    const json = JSON.parse(again.stdout);
    expect(json.counts).toEqual({
      measured: 1,
      invalid: 1,
      alreadyMeasured: 1,
      alreadyMeasuredInvalid: 0,
      failed: 0,
      stopped: 0,
      queued: 0,
    });
    expect(
      json.points.map((p: { name: string; status: string; valid: boolean; reason?: string }) => [
        p.name,
        p.status,
        p.valid,
        p.reason,
      ]),
    ).toEqual([
      [VALID, "skipped", true, undefined],
      [INVALID, "done", false, WHY],
    ]);
    expect(json.ok).toBe(false);
    expect(again.code).toBe(1);

    // the server behaves: --retry-invalid measures the invalid point alone, and it is valid
    await rm(overrun);
    const retried = await sweep("--retry-invalid");
    expect(retried.stderr).toContain(`skip    ${VALID}: already measured (`);
    expect(retried.stderr).toContain(`measure ${INVALID}\n`);
    expect(retried.stdout).toBe(`1 measured, 1 already measured, 0 failed; results in ${out}\n`);
    expect(retried.code).toBe(0);
  }, 120_000);

  it("refuses --retry-invalid with --executor github, which measures nothing itself", async () => {
    const specPath = join(dir, "github.yaml");
    await writeFile(specPath, stringify(tinySpec(await freePort())));
    const r = await runCli(["sweep", specPath, "--executor", "github", "--retry-invalid"], {
      env,
      cwd: dir,
    });
    expect(r.stderr).toContain("--retry-invalid does nothing with --executor github");
    expect(r.code).toBe(2);
  });
});

// A real one-node Slurm cluster (.ci/setup-slurm.sh) runs this; without one it skips, unless system tests are
// required (CI), where a missing cluster is a failure.
const SLURM =
  process.env.INFERMARK_TEST_SLURM === "1" || process.env.INFERMARK_SYSTEM_TESTS === "required";

describe.skipIf(!SLURM)("infermark sweep --executor slurm with an invalid point", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const env = { INFERMARK_CATALOG: TINY_CATALOG };

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-slurm-invalid-"));
  });
  afterAll(async () => cleanup());

  it("counts the job's invalid point, exits 1, and passes --retry-invalid on to the job", async () => {
    // empty: every completion overruns max_tokens while the file exists
    const overrun = join(dir, "overrun");
    await writeFile(overrun, "");
    const spec = tinySpec(
      await freePort(),
      {
        name: "slurm-invalid",
        search: { tp: [1], concurrency: [1] },
        executor: { slurm: { pollS: 0.3 } },
      },
      ` --overrun-while ${overrun}`,
    );
    const specPath = join(dir, "slurm-invalid.yaml");
    await writeFile(specPath, stringify(spec));
    const out = join(dir, "out");
    const point = "tiny-h200-vllm-fp8-tp1-32x8-c1";
    const sweep = (...more: string[]) =>
      runCli(
        ["sweep", specPath, "--executor", "slurm", "--output-dir", out, "--no-ingest", ...more],
        { env, timeoutMs: 90_000 },
      );

    const first = await sweep();
    expect(first.stdout).toBe(
      [
        `1 measured (1 invalid), 0 already measured, 0 failed; results in ${out}`,
        `invalid ${point}: server ignored max_tokens: 2 of 2 requests returned more tokens than asked`,
        "",
      ].join("\n"),
    );
    expect(first.code).toBe(1);

    // kept on resume: no job is submitted
    const kept = await sweep();
    expect(kept.stderr).not.toContain("sbatch  ");
    expect(kept.stdout).toBe(
      `0 measured, 1 already measured (1 invalid, kept: --retry-invalid measures it again), 0 failed; results in ${out}\n`,
    );
    expect(kept.code).toBe(0);

    await rm(overrun);
    const retried = await sweep("--retry-invalid");
    expect(retried.stderr).toContain("sbatch  ");
    expect(retried.stdout).toBe(`1 measured, 0 already measured, 0 failed; results in ${out}\n`);
    expect(retried.code).toBe(0);
  }, 240_000);
});
