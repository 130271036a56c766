import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PointResult } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { freePort, portInUse } from "../src/sweep/free-port.js";
import { runSweep } from "../src/sweep/run-sweep.js";
import type { SweepEvent } from "../src/sweep/types.js";
import { fakeNvidiaSmi, REPO_ROOT, runCli, spawnCli, tempDir } from "./helpers.js";
import { ENGINE, TINY_CATALOG, tinySpec } from "./tiny-spec.js";

const SECRET = "hf_supersecret_value_42";

/**
 * The shared engine spec as these tests run it: loading for 300 ms, given an API key on its command line and a secret
 * in its environment, image example/tiny:1, power from nvidia-smi.
 */
function localSpec(port: number, over: Record<string, unknown> = {}) {
  const spec = tinySpec(
    port,
    { image: "example/tiny:1", power: "nvidia-smi", ...over },
    " --ready-after-ms 300 --api-key sk-not-a-real-key-9",
  );
  return { ...spec, server: { ...spec.server, env: { HF_TOKEN: SECRET } } };
}

describe("infermark sweep --executor local (a real server process per configuration)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let path: string | undefined;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-"));
    // nvidia-smi as documented (`--format=csv,noheader,nounits -lms N`): one GPU at a steady 300 W.
    const bin = await fakeNvidiaSmi(dir, [300]);
    path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path}`;
    process.env.INFERMARK_CATALOG = TINY_CATALOG;
  });
  afterAll(async () => {
    process.env.PATH = path;
    delete process.env.INFERMARK_CATALOG;
    await cleanup();
  });

  it("starts the server, measures each level with power and server metrics, records provenance, resumes", async () => {
    const port = await freePort();
    const specPath = join(dir, "tiny.yaml");
    await writeFile(specPath, stringify(localSpec(port)));
    const out = join(dir, "out");
    const db = join(dir, "store.db");
    const events: SweepEvent[] = [];
    const r = await runSweep(specPath, {
      outputDir: out,
      db,
      cwd: REPO_ROOT,
      onEvent: (e) => events.push(e),
    });
    expect(r.points.map((p) => [p.name, p.status])).toEqual([
      ["tiny-h200-vllm-fp8-tp1-32x8-c1", "done"],
      ["tiny-h200-vllm-fp8-tp1-32x8-c2", "done"],
    ]);
    expect(r.ok).toBe(true);
    expect(events.filter((e) => e.kind === "server-start")).toHaveLength(1); // one start for both levels
    expect(events.find((e) => e.kind === "ingested")).toMatchObject({ inserted: 2, unchanged: 0 });

    const file = join(out, "tiny-h200-vllm-fp8-tp1-32x8", "tiny-h200-vllm-fp8-tp1-32x8-c2.json");
    const text = await readFile(file, "utf8");
    const point = PointResult.parse(JSON.parse(text));
    expect(point.run.pointName).toBe("tiny-h200-vllm-fp8-tp1-32x8-c2");
    expect(point.run.specFingerprint).toBe(r.points[1]!.fingerprint);
    expect(point.run.serverCommand).toBe(
      `node ${ENGINE} --port ${port} --model tiny-model --ready-after-ms 300 --api-key ***`,
    );
    expect(point.run.toolVersion).toBe("0.1.0");
    expect(point.run.gitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(point.run.source).toBe("measured");
    expect(point.config.frameworkVersion).toBe("0.0.1-tiny");
    expect(point.config.image).toBe("example/tiny:1");
    expect(point.config.load).toMatchObject({ mode: "concurrency", concurrency: 2, requests: 4 });
    expect(point.metrics.completed).toBe(4);
    expect(point.metrics.outputTokens).toBe(32);
    // the engine counts completed requests: 2 at c1 before, 6 after this level's 4
    expect(point.serverMetrics?.before?.["vllm:request_success_total"]).toBe(2);
    expect(point.serverMetrics?.delta?.["vllm:request_success_total"]).toBe(4);
    expect(point.energy).toMatchObject({
      kind: "measured",
      sampler: "nvidia-smi",
      valid: true,
      reasons: [],
    });
    expect(point.energy!.avgPowerW).toBeCloseTo(300, 6);
    const tokens = point.metrics.inputTokens! + point.metrics.outputTokens!;
    expect(point.energy!.jPerTotalToken).toBeCloseTo(point.energy!.energyJ! / tokens, 9);
    // the point's own samples (the sampler starts afresh for each point): at least one each side of its window
    expect(point.energy!.samples!.length).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("sk-not-a-real-key-9");

    const log = await readFile(join(out, "tiny-h200-vllm-fp8-tp1-32x8", "server.log"), "utf8");
    expect(log).toContain(`engine: listening on ${port}`);
    expect(log).toContain("engine: SIGTERM, shutting down");
    expect(log).not.toContain(SECRET);
    expect(await portInUse(port)).toBe(false);

    // resume: nothing left to measure, no server started; re-ingesting changes nothing
    const again: SweepEvent[] = [];
    const r2 = await runSweep(specPath, {
      outputDir: out,
      db,
      cwd: REPO_ROOT,
      onEvent: (e) => again.push(e),
    });
    expect(r2.points.map((p) => p.status)).toEqual(["skipped", "skipped"]);
    expect(again.some((e) => e.kind === "server-start")).toBe(false);
    expect(again.find((e) => e.kind === "ingested")).toMatchObject({ inserted: 0, unchanged: 2 });
  });

  it("divides the per-GPU metrics by the configuration's GPUs", async () => {
    const specPath = join(dir, "tp2.yaml");
    const spec = localSpec(await freePort(), {
      power: "none",
      search: { tp: [2], concurrency: [2] },
    });
    await writeFile(specPath, stringify(spec));
    const r = await runSweep(specPath, {
      outputDir: join(dir, "tp2"),
      ingest: false,
      cwd: REPO_ROOT,
    });
    expect(r.points.map((p) => p.status)).toEqual(["done"]);
    const point = PointResult.parse(JSON.parse(await readFile(r.points[0]!.path!, "utf8")));
    const m = point.metrics;
    expect(point.config.topology.gpus).toBe(2);
    expect([m.tputPerGpu, m.outputTputPerGpu, m.inputTputPerGpu]).toEqual([
      m.totalThroughput! / 2,
      m.outputThroughput! / 2,
      m.inputThroughput! / 2,
    ]);
  });

  it("records why points failed, keeps the logs and goes on: early exit, port in use, never ready, SIGKILL", async () => {
    const port = await freePort();
    const specPath = join(dir, "faulty.yaml");
    // the MTP configuration's "engine" dies while loading; the other one serves
    const spec = localSpec(port, {
      search: {
        tp: [1],
        specDecoding: [{ method: "mtp", draftTokens: 1 }, { method: "none" }],
        concurrency: [1],
      },
      power: "none",
    });
    (spec.server as { command: string }).command =
      `node ${ENGINE} --port {{port}} --model {{modelId}} {{#mtp}}--ready-after-ms 60000 --exit-after-ms 200{{/mtp}}{{^mtp}}--ignore-sigterm{{/mtp}}`;
    (spec.limits as { stopGraceS: number }).stopGraceS = 0.5;
    await writeFile(specPath, stringify(spec));
    const out = join(dir, "faulty");
    const r = await runSweep(specPath, { outputDir: out, ingest: false, cwd: REPO_ROOT });
    expect(r.ok).toBe(false);
    expect(r.points.map((p) => [p.name, p.status])).toEqual([
      ["tiny-h200-vllm-fp8-tp1-mtp1-32x8-c1", "failed"],
      ["tiny-h200-vllm-fp8-tp1-32x8-c1", "done"],
    ]);
    expect(r.points[0]!.reason).toBe("server exited before it was ready (exit code 3)");
    const failure = JSON.parse(await readFile(r.points[0]!.path!, "utf8"));
    expect(failure.logTail).toContain("engine: fatal: CUDA out of memory (simulated)");
    // the engine that ignores SIGTERM was killed after the grace period: its port is free again
    expect(await portInUse(port)).toBe(false);
    // plan --status reads the folder as the next run will: one point measured, one to measure again, and why
    const status = await runCli(["plan", specPath, "--status", out]);
    expect(status.code).toBe(0);
    expect(status.stdout.split("\n").slice(-3)).toEqual([
      `in ${out}: 1 measured, 1 failed, 0 to measure`,
      `failed tiny-h200-vllm-fp8-tp1-mtp1-32x8-c1 (${failure.date}): server exited before it was ready (exit code 3)`,
      "",
    ]);
    expect(status.stdout).toMatch(/tiny-h200-vllm-fp8-tp1-32x8-c1 .* measured\n/);

    // port in use: fails before anything starts
    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(port, "127.0.0.1", res));
    try {
      const r2 = await runSweep(specPath, {
        outputDir: join(dir, "busy"),
        ingest: false,
        cwd: REPO_ROOT,
      });
      expect(r2.points.map((p) => p.reason)).toEqual([
        `port ${port} is already in use by another process; stop it or set server.port in the spec`,
        `port ${port} is already in use by another process; stop it or set server.port in the spec`,
      ]);
    } finally {
      await new Promise((res) => blocker.close(res));
    }

    // never ready: times out with the last answer
    const slow = localSpec(port, { readiness: { timeoutS: 1, intervalS: 0.1 }, power: "none" });
    (slow.server as { command: string }).command = `node ${ENGINE} --port {{port}} --never-ready`;
    await writeFile(specPath, stringify(slow));
    const r3 = await runSweep(specPath, {
      outputDir: join(dir, "slow"),
      ingest: false,
      cwd: REPO_ROOT,
    });
    expect(r3.points[0]!.reason).toBe(
      "server not ready after 1 s (last: /health answered HTTP 503)",
    );
    expect(await portInUse(port)).toBe(false);
  });

  it("an interrupt lets the point in progress finish and leaves the next ones for the next run", async () => {
    const port = await freePort();
    const specPath = join(dir, "interrupt.yaml");
    const spec = localSpec(port, { power: "none" });
    (spec.limits as { requestsPerConcurrency: number }).requestsPerConcurrency = 100;
    await writeFile(specPath, stringify(spec));
    const controller = new AbortController();
    const r = await runSweep(specPath, {
      outputDir: join(dir, "interrupt"),
      ingest: false,
      cwd: REPO_ROOT,
      signal: controller.signal,
      // Ctrl-C while the first level runs (100 requests of 8 streamed tokens take well over 100 ms)
      onEvent: (e) => {
        if (e.kind === "point-start") setTimeout(() => controller.abort(), 100);
      },
    });
    expect(r.points.map((p) => [p.status, p.reason, p.path])).toEqual([
      ["done", undefined, r.points[0]!.path],
      // not a failure of the point: no record of one, so plan --status says "to measure", as for a later server's
      ["failed", "interrupted before it started", undefined],
    ]);
    const point = PointResult.parse(JSON.parse(await readFile(r.points[0]!.path!, "utf8")));
    expect([point.metrics.completed, point.incomplete]).toEqual([100, undefined]);
    expect(await portInUse(port)).toBe(false);
    const status = await runCli(["plan", specPath, "--status", join(dir, "interrupt")]);
    expect(status.stdout.split("\n").at(-2)).toBe(
      `in ${join(dir, "interrupt")}: 1 measured, 0 failed, 1 to measure`,
    );
  });

  it("an interrupt while a server loads stops it at once, and leaves its points to measure", async () => {
    const port = await freePort();
    const specPath = join(dir, "loading.yaml");
    // an engine that loads for a minute; readiness would wait up to 10 minutes
    const spec = localSpec(port, { power: "none", readiness: { timeoutS: 600, intervalS: 0.1 } });
    (spec.server as { command: string }).command =
      `node ${ENGINE} --port {{port}} --model {{modelId}} --ready-after-ms 60000`;
    await writeFile(specPath, stringify(spec));
    const controller = new AbortController();
    const out = join(dir, "loading");
    const r = await runSweep(specPath, {
      outputDir: out,
      ingest: false,
      cwd: REPO_ROOT,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.kind === "server-start") setTimeout(() => controller.abort(), 300);
      },
    });
    // before, the sweep waited for the server until readiness.timeoutS and recorded both points as failed
    // ("server not ready after 600 s")
    expect(r.points.map((p) => [p.status, p.reason, p.path])).toEqual([
      ["failed", "interrupted before it started", undefined],
      ["failed", "interrupted before it started", undefined],
    ]);
    expect(await portInUse(port)).toBe(false);
    const status = await runCli(["plan", specPath, "--status", out]);
    expect(status.stdout.split("\n").at(-2)).toBe(`in ${out}: 0 measured, 0 failed, 2 to measure`);

    // the CLI on Ctrl-C says the points are left for the next run, not that they failed
    const child = spawnCli(["sweep", specPath, "--output-dir", out, "--no-ingest"]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    const closed = new Promise((res) => child.on("close", res));
    await new Promise<void>((res) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        if (stderr.includes("start ")) res();
      });
    });
    child.kill("SIGINT");
    expect(await closed).toBe(1);
    expect(stdout).toBe(
      `0 measured, 0 already measured, 0 failed, 2 not measured (stopped); results in ${out}\n`,
    );
    expect(stderr.split("\n").slice(-2)).toEqual([
      "infermark: stopped before 2 points; run the same command again to measure them",
      "",
    ]);
    expect(stderr).toContain(
      "left    tiny-h200-vllm-fp8-tp1-32x8-c2: interrupted before it started\n",
    );
    expect(stderr).not.toContain("FAILED");
  });

  /**
   * Starts a sweep of minutes of load (100 requests of 2000 streamed tokens), sends it `signals` 200 ms apart once
   * it measures, and returns its exit status, its stderr and whether the port of the server it started was freed.
   */
  async function stopLongSweep(name: string, signals: NodeJS.Signals[]) {
    const port = await freePort();
    const specPath = join(dir, `${name}.yaml`);
    const spec = localSpec(port, { power: "none", scenarios: [{ isl: 32, osl: 2000 }] });
    (spec.limits as { requestsPerConcurrency: number }).requestsPerConcurrency = 100;
    await writeFile(specPath, stringify(spec));
    const child = spawnCli(["sweep", specPath, "--output-dir", join(dir, name), "--no-ingest"]);
    let stderr = "";
    await new Promise<void>((res) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        if (stderr.includes("measure ")) res();
      });
    });
    const closed = new Promise((res) => child.on("close", res));
    for (const [i, signal] of signals.entries()) {
      if (i > 0) await sleep(200);
      child.kill(signal);
    }
    const code = await closed;
    let inUse = true;
    for (let i = 0; i < 50 && inUse; i++) {
      await sleep(100);
      inUse = await portInUse(port);
    }
    return { code, stderr, portFreed: !inUse };
  }

  it("records a point the server died during as failed, so that a rerun measures it again", async () => {
    const port = await freePort();
    const specPath = join(dir, "dies.yaml");
    // requests of 1,000 tokens (about a second each) against an engine that dies 1.5 s after it starts
    const spec = localSpec(port, {
      power: "none",
      scenarios: [{ isl: 32, osl: 1000, rangeRatio: 1 }],
    });
    (spec.server as { command: string }).command =
      `node ${ENGINE} --port {{port}} --model {{modelId}} --exit-after-ms 1500`;
    (spec.limits as { requestsPerConcurrency: number }).requestsPerConcurrency = 4;
    await writeFile(specPath, stringify(spec));
    const r = await runSweep(specPath, {
      outputDir: join(dir, "dies"),
      ingest: false,
      cwd: REPO_ROOT,
    });
    // the first point was kept as a measurement before (its requests failed: invalid), and skipped on resume
    expect(r.points.map((p) => [p.status, p.reason])).toEqual([
      ["failed", "server exited during the point (exit code 3)"],
      ["failed", "server exited during the sweep (exit code 3)"],
    ]);
    const failure = JSON.parse(await readFile(r.points[0]!.path!, "utf8"));
    expect(failure.logTail).toContain("engine: fatal: CUDA out of memory (simulated)");
  });

  it("a second Ctrl-C exits at once and stops the server it started", async () => {
    expect(await stopLongSweep("force", ["SIGINT", "SIGINT"])).toMatchObject({
      code: 130,
      portFreed: true,
    });
  });

  it("SIGTERM (scancel, docker stop) exits at once and stops the server it started", async () => {
    const { code, stderr, portFreed } = await stopLongSweep("term", ["SIGTERM"]);
    expect([code, portFreed]).toEqual([143, true]);
    expect(stderr).toContain("infermark: SIGTERM: stopping the servers this sweep started");
  });

  it("refuses Slurm and GitHub flags without their executor, before anything starts", async () => {
    const specPath = join(dir, "flags.yaml");
    const spec = localSpec(await freePort(), { power: "none" });
    (spec.server as { command: string }).command = "exit 7";
    await writeFile(specPath, stringify(spec));
    const out = join(dir, "flags");
    const r = await runCli([
      "sweep",
      specPath,
      "--output-dir",
      out,
      "--partition",
      "gpu",
      "--nodes",
      "2",
      "--time",
      "4:00:00",
    ]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      "",
      "infermark: --partition, --nodes, --time need --executor slurm (this sweep would run here, with --executor local)\n",
    ]);
    const r2 = await runCli(["sweep", specPath, "--executor", "slurm", "--workflow", "w.yml"]);
    expect([r2.code, r2.stderr]).toEqual([
      2,
      "infermark: --workflow needs --executor github (this sweep would run with --executor slurm)\n",
    ]);
    // the GitHub executor only writes the workflow: before, these were ignored and the workflow written as if not given
    const r5 = await runCli([
      "sweep",
      specPath,
      "--executor",
      "github",
      "--workflow",
      join(dir, "never-written.yml"),
      "--output-dir",
      out,
      "--db",
      join(dir, "gh.db"),
      "--force",
      "--server",
      "tiny-h200-vllm-fp8-tp1-32x8",
      "--power",
      "none",
    ]);
    expect([r5.code, r5.stdout, r5.stderr]).toEqual([
      2,
      "",
      "infermark: --output-dir, --db, --power, --force, --server do nothing with --executor github, which only writes the workflow (its jobs measure every configuration into results/ and store them in the report job; docs/sweep.md)\n",
    ]);
    await expect(readFile(join(dir, "never-written.yml"))).rejects.toThrow(/ENOENT/);
    const r4 = await runCli(["sweep", specPath, "--no-wait"]);
    expect([r4.code, r4.stderr]).toEqual([
      2,
      "infermark: --no-wait needs --executor slurm (this sweep would run here, with --executor local)\n",
    ]);
    const r3 = await runCli(["sweep", specPath, "--dcgm-url", "localhost:9400"]);
    expect([r3.code, r3.stderr.trim().split("\n")]).toEqual([
      2,
      [
        `error: option '--dcgm-url <url>' argument 'localhost:9400' is invalid. --dcgm-url expects an http(s) URL, got "localhost:9400" (run with --help for usage)`,
      ],
    ]);
  });

  it("refuses a power sampler this machine cannot run, before the server starts", async () => {
    const specPath = join(dir, "no-smi.yaml");
    const marker = join(dir, "no-smi-started");
    const spec = localSpec(await freePort());
    (spec.server as { command: string }).command = `touch ${marker}`;
    await writeFile(specPath, stringify(spec));
    const empty = join(dir, "empty-path");
    await mkdir(empty);
    const out = join(dir, "no-smi");
    const r = await runCli(["sweep", specPath, "--output-dir", out, "--no-ingest"], {
      env: { PATH: empty },
    });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      "infermark: power: nvidia-smi is not available: cannot run nvidia-smi (spawn nvidia-smi ENOENT); use --power auto (none when no source answers) or none\n",
    ]);
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(out, "tiny-h200-vllm-fp8-tp1-32x8", "server.log"))).rejects.toThrow(
      /ENOENT/,
    );
  });

  it("refuses a store it could not ingest into before the server starts, not after measuring", async () => {
    const specPath = join(dir, "bad-db.yaml");
    const marker = join(dir, "bad-db-started");
    const spec = localSpec(await freePort());
    (spec.server as { command: string }).command = `touch ${marker}`;
    await writeFile(specPath, stringify(spec));
    const notAStore = join(dir, "notes.txt");
    await writeFile(notAStore, "not a database\n".repeat(200));
    const out = join(dir, "bad-db");
    const r = await runCli(["sweep", specPath, "--output-dir", out, "--db", notAStore]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^infermark: .*notes\.txt/);
    // nothing started, nothing measured, the file untouched
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    expect(await readFile(notAStore, "utf8")).toBe("not a database\n".repeat(200));
  });

  it("keeps secrets the server prints (its arguments, its environment) out of server.log and failure records", async () => {
    const API_KEY = "sk-from-the-environment-77";
    process.env.INFERMARK_API_KEY = API_KEY;
    try {
      // as engines log their arguments at start (vLLM's "non-default args: {... 'api_key': ...}")
      const echo = `echo "engine args: hf_token=$HF_TOKEN api_key=$INFERMARK_API_KEY"`;
      const serving = localSpec(await freePort(), { power: "none" });
      (serving.server as { command: string }).command =
        `${echo} && node ${ENGINE} --port {{port}} --model {{modelId}}`;
      const dying = localSpec(await freePort(), { power: "none" });
      (dying.server as { command: string }).command = `${echo}; exit 3`;
      for (const [name, spec] of [
        ["echo-serving", serving],
        ["echo-dying", dying],
      ] as const) {
        const specPath = join(dir, `${name}.yaml`);
        await writeFile(specPath, stringify(spec));
        const out = join(dir, name);
        const r = await runSweep(specPath, { outputDir: out, ingest: false, cwd: REPO_ROOT });
        expect(r.points.map((p) => p.status)).toEqual(
          name === "echo-serving" ? ["done", "done"] : ["failed", "failed"],
        );
        const serverDir = join(out, "tiny-h200-vllm-fp8-tp1-32x8");
        const log = await readFile(join(serverDir, "server.log"), "utf8");
        // before, both values were in server.log, and in each failure record's logTail
        expect(log).toContain("engine args: hf_token=*** api_key=***");
        for (const file of await readdir(serverDir)) {
          const text = await readFile(join(serverDir, file), "utf8");
          expect([file, text.includes(SECRET) || text.includes(API_KEY)]).toEqual([file, false]);
        }
        if (name === "echo-dying") {
          const failure = JSON.parse(await readFile(r.points[0]!.path!, "utf8"));
          expect(failure.logTail).toContain("engine args: hf_token=*** api_key=***");
        }
      }
    } finally {
      delete process.env.INFERMARK_API_KEY;
    }
  });

  it("the CLI exits 1 when a point failed and reports the reason", async () => {
    const port = await freePort();
    const specPath = join(dir, "cli-fail.yaml");
    const spec = localSpec(port, { power: "none" });
    (spec.server as { command: string }).command = "exit 7";
    await writeFile(specPath, stringify(spec));
    const r = await runCli([
      "sweep",
      specPath,
      "--output-dir",
      join(dir, "cli-fail"),
      "--no-ingest",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("0 measured, 0 already measured, 2 failed");
    expect(r.stdout).toContain(
      "failed tiny-h200-vllm-fp8-tp1-32x8-c1: server exited before it was ready (exit code 7)",
    );
  });
});
