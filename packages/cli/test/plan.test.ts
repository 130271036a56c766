import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir } from "./helpers.js";

const QUICKSTART = join(REPO_ROOT, "examples/quickstart.yaml");

describe("infermark plan", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  it("prints the quickstart's points as JSON with names and fingerprints", async () => {
    const r = await runCli(["plan", QUICKSTART, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.servers.map((s: { name: string }) => s.name)).toEqual([
      "dsr1-h200-sim-fp8-tp8-1k1k",
      "dsr1-h200-sim-fp8-tp8-8k1k",
      "dsr1-b200-sim-fp8-tp8-1k1k",
      "dsr1-b200-sim-fp8-tp8-8k1k",
      "dsr1-mi355x-sim-fp8-tp8-1k1k",
      "dsr1-mi355x-sim-fp8-tp8-8k1k",
    ]);
    const points = plan.servers.flatMap((s: { points: unknown[] }) => s.points);
    expect(points).toHaveLength(18);
    expect(points[2].name).toBe("dsr1-h200-sim-fp8-tp8-1k1k-c64");
    expect(points[2].requests).toBe(128);
    expect(points[2].warmupRequests).toBe(16);
    expect(points[2].fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(points[2].config.workload).toEqual({ kind: "random", isl: 1024, osl: 1024 });
  });

  it("prints a GitHub Actions matrix on one line", async () => {
    const r = await runCli(["plan", QUICKSTART, "--github-matrix"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const matrix = JSON.parse(r.stdout);
    expect(matrix.include).toHaveLength(6);
    expect(matrix.include[5]).toMatchObject({
      name: "dsr1-mi355x-sim-fp8-tp8-8k1k",
      hardware: "mi355x",
      runsOn: ["ubuntu-latest"],
      points: 3,
    });
  });

  it("reports every invalid field of a spec by path and exits 1", async () => {
    const bad = join(dir, "bad.yaml");
    await writeFile(
      bad,
      "name: bad\nmodel: dsr1\nhardware: h200\nframework: vllm\nprecision: fp8\nscenarios: [{isl: 0, osl: 1024}]\nsearch: {tp: [8], concurrency: []}\nserver: {kind: simulator}\n",
    );
    const r = await runCli(["plan", bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`infermark: ${bad} is invalid: scenarios[0].isl: `);
    expect(r.stderr).toContain("search.concurrency");
  });

  it("reports malformed YAML on one line that says what is wrong and where", async () => {
    const broken = join(dir, "broken.yaml");
    await writeFile(broken, "name: x\n  bad: [\n");
    const r = await runCli(["plan", broken]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      `infermark: ${broken}: malformed YAML at line 1, column 7: Nested mappings are not allowed in compact mappings (BLOCK_AS_IMPLICIT_KEY), in "name: x"\n`,
    ]);
  });

  it.each([
    [
      "{backned: sglang}",
      'bench: unknown option "backned"; known: api, backend, prefixLength, seed, tokenizer, tokenIds, stream, fixedOutput, headers, extraBody, apiKey, workers, transport, drainTimeoutS, preflight, timeScale, slo, healthBounds',
    ],
    ["{api: chatt}", 'bench.api expects completions or chat, got "chatt"'],
    [
      "{backend: foo}",
      'bench.backend: unknown "foo"; known: vllm, sglang, trtllm, dynamo, llamacpp, ollama, openai',
    ],
    ["{timeScale: 0}", 'bench.timeScale: expected a positive number or "auto", got 0'],
    // types, as BenchOptions declares them: the load generator itself does not check these
    ['{stream: "no"}', 'bench.stream expects true or false, got "no"'],
    ["{workers: '2'}", 'bench.workers expects a number, got "2"'],
    ["{headers: {X-Team: 7}}", "bench.headers.X-Team expects a string, got 7"],
    ["{timeScale: fast}", 'bench.timeScale expects a number or "auto", got "fast"'],
    ["{slo: {ttft: 1}}", 'bench.slo: unknown key "ttft"; known: ttftS, tpotS, e2elS'],
    ["{isl: 64}", "bench: the sweep sets isl from scenarios[].isl; remove it from bench"],
  ])("checks bench: %s at plan time with one line and exit 1", async (bench, message) => {
    const spec = join(dir, "bench.yaml");
    await writeFile(
      spec,
      `name: b\nmodel: dsr1\nhardware: h200\nframework: sim\nprecision: fp8\nscenarios: [{isl: 1024, osl: 1024}]\nsearch: {tp: [8], concurrency: [4]}\nserver: {kind: simulator}\nbench: ${bench}\n`,
    );
    const r = await runCli(["plan", spec]);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, "", `infermark: ${message}\n`]);
  });
});
