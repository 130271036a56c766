import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCliInProcess, tempDir } from "./helpers.js";

// A real run: `infermark sim serve --speed 500` (dsr1 on 8 H200) measured by `infermark bench --concurrency 2
// --num-requests 6 --warmup 0 --isl 64 --osl 16 --save-requests`. Bench scaled the records' times by 500 into the
// engine's: the client's send lag of about 0.15 ms on the wall clock reads 17-84 ms in them.
const FIXTURE = join(REPO_ROOT, "packages/cli/test/fixtures/aggregate-sim");
const FLAGS = ["--gpus", "8", "--hardware", "h200", "--concurrency", "2", "--json"];

describe("aggregate takes the source of sped-up simulator records from the point beside them", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(async () => cleanup());

  it("beside bench's point: simulated, and the scaled send lag is not judged (it was 'measured', invalid, exit 1)", async () => {
    const r = await runCliInProcess(["aggregate", join(FIXTURE, "requests-c2.jsonl"), ...FLAGS]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const point = JSON.parse(r.stdout);
    expect(point.run.source).toBe("simulated");
    expect(point.run.simulator.speed).toBe(500);
    expect(point.validity).toEqual({ valid: true, reasons: [] });
    expect(point.client).toBeUndefined();
  });

  it("without the point beside them the records say nothing of a simulator: measured, unless --source says so", async () => {
    const alone = join(dir, "requests-c2.jsonl");
    await copyFile(join(FIXTURE, "requests-c2.jsonl"), alone);
    const measured = await runCliInProcess(["aggregate", alone, ...FLAGS]);
    expect(measured.code).toBe(1);
    const point = JSON.parse(measured.stdout);
    expect(point.run.source).toBe("measured");
    expect(point.validity.reasons).toEqual([
      expect.stringMatching(
        /^client saturated \(event-loop delay p99 n\/a, send lag p99 8\d\.\d ms\)$/,
      ),
    ]);
    const simulated = await runCliInProcess([
      "aggregate",
      alone,
      ...FLAGS,
      "--source",
      "simulated",
    ]);
    expect(simulated.code).toBe(0);
    expect(JSON.parse(simulated.stdout).run.source).toBe("simulated");
  });

  it("refuses --source measured for records whose point says simulated, with one line", async () => {
    const r = await runCliInProcess([
      ...["aggregate", join(FIXTURE, "requests-c2.jsonl"), ...FLAGS, "--source", "measured"],
    ]);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toBe(
      `infermark: --source measured: ${join(FIXTURE, "point-c2.json")}, the point of these records, was simulated (sim serve at speed 500): leave --source out or give simulated\n`,
    );
  });
});
