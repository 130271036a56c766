import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PlannedPoint } from "@infermark/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { failurePath } from "./results-dir.js";

const POINT = {
  name: "tiny-h200-vllm-fp8-tp1-16x4-c1",
  serverName: "tiny-h200-vllm-fp8-tp1-16x4",
  fingerprint: "f".repeat(64),
} as PlannedPoint;

describe("writeFailure", () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), "infermark-failure-"));
  });
  afterEach(() => rm(out, { recursive: true, force: true }));

  it("two processes recording one point's failure at once leave one whole record, no temporary file", async () => {
    // a Slurm job's submitter and a sweep following the job both record its points when it ends; before, each
    // truncated and wrote the file in place, and a reader (or the longer writer's tail) saw a broken record
    const script = `
      const { writeFailure } = await import(${JSON.stringify(new URL("./results-dir.ts", import.meta.url).href)});
      const [out, reason] = process.argv.slice(1);
      const point = ${JSON.stringify(POINT)};
      for (let i = 0; i < 200; i++) await writeFailure(out, point, reason, reason.repeat(50));
    `;
    const writer = (reason: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", "--input-type=module", "-e", script, out, reason],
          { stdio: "inherit" },
        );
        child.on("close", resolve);
      });
    const reasons = ["a short reason", `a much longer reason ${"x".repeat(4000)}`];
    const broken: string[] = [];
    const writers = Promise.all(reasons.map(writer));
    let done = false;
    void writers.then(() => {
      done = true;
    });
    // read while they write: every read is a whole record of one of them
    while (!done) {
      const text = await readFile(failurePath(out, POINT), "utf8").catch(() => undefined);
      if (text === undefined) continue;
      try {
        expect(reasons).toContain(JSON.parse(text).reason);
      } catch {
        broken.push(text.slice(0, 80));
      }
    }
    expect(await writers).toEqual([0, 0]);
    expect(broken).toEqual([]);
    expect(await readdir(join(out, POINT.serverName))).toEqual([`${POINT.name}.failed.json`]);
  }, 60_000);
});
