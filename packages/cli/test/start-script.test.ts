import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { openStore } from "@infermark/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, tempDir } from "./helpers.js";

// `npm start` runs the built packages, and builds them first when they are missing: too long for a test
const built = [
  "packages/cli/dist/cli.js",
  "packages/store/dist/index.js",
  "packages/web/dist/app/app.js",
]
  .map((f) => join(REPO_ROOT, f))
  .every((f) => existsSync(f));

/** A simulated quickstart point of the h200 group at one concurrency. */
const point = (concurrency: number, tputPerGpu: number, intvty: number, valid: boolean) =>
  PointResult.parse({
    schema: "infermark.point/v1",
    run: { source: "simulated", date: "2026-11-27" },
    config: {
      model: "dsr1",
      hardware: "h200",
      framework: "sim",
      precision: "fp8",
      topology: { gpus: 8, prefillGpus: 8, decodeGpus: 8 },
      workload: { isl: 1024, osl: 1024 },
      load: { mode: "concurrency", concurrency },
    },
    metrics: { tputPerGpu, intvty: { median: intvty } },
    validity: valid
      ? { valid: true }
      : {
          valid: false,
          reasons: ["client saturated (event-loop delay p99 40.0 ms, send lag p99 n/a)"],
        },
  });

describe.skipIf(!built)("npm start's summary (needs the build: npm run build)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  it("takes each group's best tput/GPU and intvty range from its valid points only, and counts the invalid", async () => {
    const db = join(dir, "start.db");
    const store = await openStore(db);
    try {
      // the invalid point would be the best by far, and widen the range to 20
      await store.ingest([
        point(4, 100, 50, true),
        point(16, 80, 60, true),
        point(64, 900, 20, false),
      ]);
    } finally {
      await store.close();
    }
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["scripts/start.mjs", "--db", db, "--no-serve"],
        { cwd: REPO_ROOT },
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    );
    const lines = stdout.split("\n");
    const row = lines.find((l) => l.startsWith("dsr1 1024/1024 h200 sim fp8 agg"));
    expect(row?.split(/ {2,}/)).toEqual([
      "dsr1 1024/1024 h200 sim fp8 agg",
      "simulated",
      "3",
      "1",
      "100",
      "50-60",
    ]);
    expect(lines).toContain(
      "best tput/GPU and intvty range: the frontier of each group's valid points only",
    );
    expect(lines.find((l) => /^\d+ latest points/.test(l))).toMatch(/; 1 invalid\) in \d+ groups;/);
  }, 60_000);

  it("stops with one line when the store cannot be opened (a stack trace before)", async () => {
    const notAStore = join(dir, "notes.db");
    writeFileSync(notAStore, "not a database\n".repeat(300));
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) =>
        execFile(
          process.execPath,
          ["scripts/start.mjs", "--db", notAStore, "--no-serve"],
          { cwd: REPO_ROOT },
          (error, stdout, stderr) =>
            resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        ),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    // a note that the build is older than the sources may come first, on a working tree being edited
    expect(result.stdout.trim().split("\n").at(-1)).toMatch(
      /^\[start\] cannot open the store: .*notes\.db/,
    );
  }, 60_000);
});
