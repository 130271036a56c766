import { writeFile } from "node:fs/promises";
import { createSimServer } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointJson, runCli, tempDir } from "./helpers.js";

// Run from source (as `npm run dev` and these tests do), the store's writer thread and bench's client
// workers start by registering tsx. They used to import it by its bare name from an eval'd worker, which
// resolves from the working folder: from any folder outside the repository the thread failed to start.
describe("worker threads of the CLI run from source, from a folder outside the repository", () => {
  let dir: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir("infermark-outside-");
  });
  afterAll(() => dir.cleanup());

  it("ingests 2,100 points on the store's writer thread", async () => {
    // 2,100 distinct points (the writer thread takes ingests of 2,000 or more)
    const lines = Array.from({ length: 2100 }, (_, i) =>
      JSON.stringify(
        pointJson(1 + (i % 700), {
          run: {
            source: "measured",
            date: `2026-11-${String(1 + Math.floor(i / 700)).padStart(2, "0")}`,
          },
        }),
      ),
    );
    await writeFile(`${dir.dir}/points.jsonl`, `${lines.join("\n")}\n`);
    const r = await runCli(["ingest", "points.jsonl", "--db", "store.db"], {
      cwd: dir.dir,
      timeoutMs: 120_000,
    });
    expect(r.stderr).not.toContain("tsx");
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain("2100 inserted");
  });

  it("measures with bench --workers 1 (streams on a client worker thread)", async () => {
    const sim = createSimServer({ sim: { model: "dsr1", hardware: "h200", tp: 8 }, speed: 50 });
    const { port } = await sim.listen(0);
    try {
      const r = await runCli(
        [
          ...["bench", "--base-url", `http://127.0.0.1:${port}`, "--model", "dsr1"],
          ...["--isl", "64", "--osl", "8", "--concurrency", "2", "--num-requests", "4"],
          ...["--warmup", "0", "--gpus", "8", "--max-client-lag", "100000", "--workers", "1"],
          ...["--output-dir", "out", "--json"],
        ],
        { cwd: dir.dir, timeoutMs: 120_000 },
      );
      expect(r.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
      expect(r.code).toBe(0);
      const level = JSON.parse(r.stdout).levels[0];
      expect(level.point.metrics.completed).toBe(4);
    } finally {
      await sim.close();
    }
  });
});
