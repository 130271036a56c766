import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { freePort } from "../src/sweep/free-port.js";
import { runCli, tempDir } from "./helpers.js";
import { TINY_CATALOG, tinySpec } from "./tiny-spec.js";

describe("infermark sweep against a server that does not answer /metrics", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-metrics-"));
  });
  afterAll(async () => {
    await cleanup();
  });

  it("says so once per server configuration, and each point records why", async () => {
    const port = await freePort();
    const specPath = join(dir, "no-metrics.yaml");
    // the simulator always serves /metrics: the sweep tests' engine, told to answer 404 there
    await writeFile(specPath, stringify(tinySpec(port, {}, " --no-metrics")));
    const out = join(dir, "out");
    const r = await runCli(["sweep", specPath, "--output-dir", out, "--no-ingest"], {
      env: { INFERMARK_CATALOG: TINY_CATALOG },
    });
    expect(r.code, r.stderr).toBe(0);
    const server = "tiny-h200-vllm-fp8-tp1-32x8";
    const reason = `server metrics: http://127.0.0.1:${port}/metrics answered HTTP 404`;
    // before, nothing was said: a sweep whose servers never gave their metrics looked like one that had them
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("metrics "));
    expect(lines, r.stderr).toEqual([
      `metrics ${server}: not read: ${reason} (said once for the configuration; each of its points records why in extra.serverMetricsError)`,
    ]);
    for (const c of [1, 2]) {
      const point = PointResult.parse(
        JSON.parse(await readFile(join(out, server, `${server}-c${c}.json`), "utf8")),
      );
      expect(point.extra?.serverMetricsError).toBe(reason);
    }
  });
});
