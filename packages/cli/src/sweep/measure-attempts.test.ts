import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PlannedPoint } from "@infermark/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { measureAttempts } from "./measure-attempts.js";
import { resultPath, writeFailure } from "./results-dir.js";

const point = (n: number) =>
  ({
    name: `tiny-h200-vllm-fp8-tp1-16x4-c${n}`,
    serverName: "tiny-h200-vllm-fp8-tp1-16x4",
    fingerprint: String(n).repeat(16),
  }) as PlannedPoint;

/** A PointResult file of `p` as far as the folder's readers look, its `extra.sweep.attempt` as given. */
async function result(out: string, p: PlannedPoint, attempt?: number): Promise<void> {
  const doc = {
    schema: "infermark.point/v1",
    run: { specFingerprint: p.fingerprint },
    validity: { valid: false, reasons: ["x"] },
    extra: { sweep: attempt === undefined ? {} : { attempt } },
  };
  await writeFile(resultPath(out, p), JSON.stringify(doc));
}

describe("measureAttempts", () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), "infermark-attempts-"));
  });
  afterEach(() => rm(out, { recursive: true, force: true }));

  it("counts the results and failure records a point left in the folder, and a GitHub re-run's attempts", async () => {
    // c1: a first result (no attempt recorded); c2: measured a third time; c3: failed on its second; c4: nothing
    await writeFailure(out, point(3), "measurement failed: x", undefined, 1);
    await result(out, point(1));
    await result(out, point(2), 2);
    const here = await measureAttempts(out, {});
    expect([1, 2, 3, 4].map((n) => here(point(n).fingerprint))).toEqual([1, 3, 2, 0]);
    // a third run attempt whose artifact did not come back measures each point as its third attempt at least
    const rerun = await measureAttempts(out, { GITHUB_RUN_ATTEMPT: "3" });
    expect([1, 2, 3, 4].map((n) => rerun(point(n).fingerprint))).toEqual([2, 3, 2, 2]);
    const first = await measureAttempts(out, { GITHUB_RUN_ATTEMPT: "1" });
    expect(first(point(4).fingerprint)).toBe(0);
  });
});
