import { createHash } from "node:crypto";
import { appendFile, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { planSpecFile } from "../src/commands/plan.js";
import { runSweep } from "../src/sweep/run-sweep.js";
import type { SweepEvent } from "../src/sweep/types.js";
import { REPO_ROOT, runCli, tempDir } from "./helpers.js";

const QUICKSTART = join(REPO_ROOT, "examples/quickstart.yaml");

/** A small spec as YAML, with some top-level fields replaced (`hardware: "[h200, b200]"`). */
const specYaml = (over: Record<string, string> = {}) =>
  Object.entries({
    name: "s",
    model: "dsr1",
    hardware: "h200",
    framework: "vllm",
    precision: "fp8",
    scenarios: "[{isl: 1024, osl: 1024}]",
    search: "{tp: [8], concurrency: [4]}",
    server: "{kind: command, command: serve}",
    ...over,
  })
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");

const OVERRIDE =
  "to measure a GPU the catalog lacks, declare it with its figures in a catalog override file (INFERMARK_CATALOG=FILE; docs/catalog.md)";

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
    // the matrix alone: before, --status and --json beside it were ignored
    const both = await runCli(["plan", QUICKSTART, "--github-matrix", "--status", dir, "--json"]);
    expect([both.code, both.stdout, both.stderr]).toEqual([
      2,
      "",
      "infermark: --github-matrix prints the matrix alone; leave out --status, --json\n",
    ]);
  });

  it("refuses a matrix GitHub would refuse (over 256 jobs), for the workflow and for its plan job, in one line", async () => {
    // 257 scenarios: one server configuration, so one job, each
    const scenarios = Array.from({ length: 257 }, (_, i) => `{isl: ${100 + i}, osl: 64}`).join(
      ", ",
    );
    const specPath = join(dir, "wide.yaml");
    await writeFile(specPath, specYaml({ scenarios: `[${scenarios}]` }));
    const line =
      "infermark: the plan has 257 server configurations, one GitHub Actions job each, and a matrix may generate at most 256 jobs in a workflow run: split the spec (by scenarios, GPUs or search space) into specs of 256 configurations or fewer\n";
    const matrix = await runCli(["plan", specPath, "--github-matrix"]);
    expect([matrix.code, matrix.stdout, matrix.stderr]).toEqual([1, "", line]);
    const workflow = join(dir, "wide.yml");
    const sweep = await runCli(["sweep", specPath, "--executor", "github", "--workflow", workflow]);
    expect([sweep.code, sweep.stderr]).toEqual([1, line]);
    await expect(readFile(workflow, "utf8")).rejects.toThrow("ENOENT");
  });

  it("--status: a folder that does not exist holds nothing (said on stderr); a file is refused in one line", async () => {
    const missing = await runCli(["plan", QUICKSTART, "--status", "/nonexistent/results"]);
    expect(missing.code).toBe(0);
    expect(missing.stderr).toBe(
      "infermark: warning: /nonexistent/results does not exist: no point of the plan is measured there yet\n",
    );
    expect(missing.stdout).toContain(
      "in /nonexistent/results: 0 measured, 0 failed, 18 to measure\n",
    );
    const file = await runCli(["plan", QUICKSTART, "--status", QUICKSTART]);
    expect([file.code, file.stdout, file.stderr]).toEqual([
      2,
      "",
      `infermark: --status: ${QUICKSTART} is not a folder (a sweep's --output-dir)\n`,
    ]);
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

  it("shows a server command without its secrets, as the sweep records it (--json printed the spec's tokens)", async () => {
    const spec = join(dir, "secrets.yaml");
    await writeFile(
      spec,
      specYaml({
        server:
          '{kind: command, command: "vllm serve m --port {{port}} --hf-token hf_abcdef123 --api-key sk-xyz --kv-url redis://kv:pw987@h:6379", env: {HF_TOKEN: hf_env456}}',
      }),
    );
    for (const args of [["--json"], []]) {
      const r = await runCli(["plan", spec, ...args]);
      expect([r.code, r.stderr]).toEqual([0, ""]);
      for (const secret of ["hf_abcdef123", "sk-xyz", "hf_env456", "pw987"]) {
        expect(r.stdout).not.toContain(secret);
        expect(r.stderr).not.toContain(secret);
      }
      if (args.length > 0)
        expect(JSON.parse(r.stdout).servers[0].command).toBe(
          "vllm serve m --port 8000 --hf-token *** --api-key *** --kv-url redis://kv:***@h:6379",
        );
    }
    // a mistake in the command is quoted by the planner: the token beside it is not
    await writeFile(
      spec,
      specYaml({
        server: '{kind: command, command: "serve {{model --hf-token hf_abcdef123 -p 1"}',
      }),
    );
    const r = await runCli(["plan", spec]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      'infermark: server.command: "{{model --hf-token *** -p 1" opens a placeholder that is never closed with }}\n',
    ]);
  });

  it.each([
    [
      "{backned: sglang}",
      'bench: unknown option "backned"; known: api, backend, prefixLength, seed, tokenizer, tokenIds, useChatTemplate, stream, fixedOutput, headers, extraBody, apiKeyEnv, metadata, workers, transport, drainTimeoutS, preflight, timeScale, slo, healthBounds',
    ],
    ["{api: chatt}", 'bench.api expects completions or chat, got "chatt"'],
    [
      "{backend: foo}",
      'bench.backend: unknown "foo"; known: vllm, sglang, trtllm, dynamo, llamacpp, ollama, openai',
    ],
    ["{timeScale: 0}", 'bench.timeScale: expected a positive number or "auto", got 0'],
    // types, as BenchOptions declares them: the load generator itself does not check these
    ['{stream: "no"}', 'bench.stream expects true or false, got "no"'],
    ["{workers: '2'}", 'bench.workers expects a number or "auto", got "2"'],
    ["{workers: -1}", "bench.workers expects a whole number >= 0 or auto, got -1"],
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

  it("refuses a GPU key the catalog lacks, naming the close ones, with one line and exit 1", async () => {
    const spec = join(dir, "gpu.yaml");
    await writeFile(spec, specYaml({ hardware: "[h200, h2000]" }));
    const r = await runCli(["plan", spec]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      `infermark: hardware: unknown GPU "h2000" (did you mean h200, h100, b200?); ${OVERRIDE}\n`,
    ]);
  });

  it("plans a real engine's GPU or model that is unlike any catalog key, with a warning on stderr", async () => {
    const spec = join(dir, "custom.yaml");
    await writeFile(spec, specYaml({ hardware: "l40s", model: "Qwen/Qwen3-235B-A22B" }));
    const r = await runCli(["plan", spec]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("qwen3-235b-a22b-l40s-vllm-fp8-tp8-1k1k-c4");
    expect(r.stderr.trim().split("\n")).toEqual([
      'infermark: warning: hardware: GPU "l40s" is not in the catalog: its points are measured and stored, but cost and energy have no price or power for it (declare its figures in a catalog override file, INFERMARK_CATALOG=FILE; docs/catalog.md)',
      'infermark: warning: model: "Qwen/Qwen3-235B-A22B" is not in the catalog: its points are measured and stored under that name; the simulator has no figures for it (declare its figures in a catalog override file, INFERMARK_CATALOG=FILE; docs/catalog.md)',
    ]);
    // another checkpoint of a catalog model is named, with the key to write to compare them
    await writeFile(spec, specYaml({ model: "deepseek-ai/DeepSeek-R1" }));
    const r1 = await runCli(["plan", spec]);
    expect([r1.code, r1.stderr]).toEqual([
      0,
      'infermark: warning: model: "deepseek-ai/DeepSeek-R1" is not a catalog key: its points are stored under that name, apart from dsr1 (deepseek-ai/DeepSeek-R1-0528) and InferenceX\'s dsr1 results; write model: dsr1 (and modelId: deepseek-ai/DeepSeek-R1) to compare them\n',
    ]);
  });

  it("names the catalog override's model that a spec's local checkpoint path is a copy of", async () => {
    // the override declares tiny (hfId tiny-model); the spec serves it from a local folder of that name
    const spec = join(dir, "override-model.yaml");
    await writeFile(spec, specYaml({ model: "/models/tiny-model" }));
    const r = await runCli(["plan", spec], {
      env: {
        INFERMARK_CATALOG: join(REPO_ROOT, "packages/cli/test/fixtures/sweep/tiny-catalog.yaml"),
      },
    });
    // before, the override's models were not looked at: "is not in the catalog ... the simulator has no figures"
    expect([r.code, r.stderr]).toEqual([
      0,
      'infermark: warning: model: "/models/tiny-model" is not a catalog key: its points are stored under that name, apart from tiny (tiny-model) and InferenceX\'s tiny results; write model: tiny (and modelId: /models/tiny-model) to compare them\n',
    ]);
  });

  it("planSpecFile and runSweep hand the warnings to their caller, who prints them (planSpecFile printed them itself)", async () => {
    const spec = join(dir, "warn.yaml");
    await writeFile(spec, specYaml({ hardware: "l40s" }));
    const gpuWarning =
      'hardware: GPU "l40s" is not in the catalog: its points are measured and stored, but cost and energy have no price or power for it (declare its figures in a catalog override file, INFERMARK_CATALOG=FILE; docs/catalog.md)';
    const printed = vi.spyOn(console, "error");
    try {
      const { plan, warnings } = await planSpecFile(spec, dir);
      expect([plan.points.map((p) => p.name), warnings]).toEqual([
        ["dsr1-l40s-vllm-fp8-tp8-1k1k-c4"],
        [gpuWarning],
      ]);
      // the GitHub executor only writes the workflow: the warnings come first, as events
      const events: SweepEvent[] = [];
      await runSweep(spec, { executor: "github", cwd: dir, onEvent: (e) => events.push(e) });
      expect(events.map((e) => e.kind)).toEqual(["warning", "workflow-written"]);
      expect(events[0]).toEqual({ kind: "warning", message: gpuWarning });
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });

  it("refuses a model key close to a catalog key, any key the catalog lacks in a simulator recipe, and plans either once a catalog override declares it", async () => {
    const plan = async (over: Record<string, string>) => {
      const spec = join(dir, "keys.yaml");
      await writeFile(spec, specYaml(over));
      return (await planSpecFile(spec, dir)).plan;
    };
    await expect(plan({ model: "dsr-1" })).rejects.toThrow(
      `model: unknown model "dsr-1" (did you mean dsr1?); to measure a model the catalog lacks, declare it with its figures in a catalog override file (INFERMARK_CATALOG=FILE; docs/catalog.md)`,
    );
    await expect(
      plan({ hardware: "rtx6000", framework: "sim", server: "{kind: simulator}" }),
    ).rejects.toThrow(
      `hardware: unknown GPU "rtx6000" (known: h100, h200, b200, b300, gb200, gb300, mi300x, mi325x, mi355x); ${OVERRIDE}`,
    );
    // the Hugging Face id of a catalog model is as good as its key
    expect((await plan({ model: "deepseek-ai/DeepSeek-R1-0528" })).points).toHaveLength(1);

    // a new GPU in full and a model of one's own, as docs/catalog.md declares them
    const override = join(dir, "catalog.yaml");
    await writeFile(
      override,
      `gpus:
  rtx6000:
    name: RTX PRO 6000
    vendor: nvidia
    hbmGb: 96
    hbmTbps: 1.8
    tflops: { bf16: 500, fp8: 1000, fp4: 2000 }
    scaleUpGBps: 64
    scaleUpDomain: 1
    nicGbps: 400
    tdpW: 600
    allInKw: 1.0
    price: { hyperscaler: 1.0, neocloud: 1.2, rental: 1.1 }
`,
    );
    process.env.INFERMARK_CATALOG = override;
    try {
      const planned = await plan({ hardware: "[h200, rtx6000]" });
      expect(planned.servers.map((s) => s.hardware)).toEqual(["h200", "rtx6000"]);
    } finally {
      delete process.env.INFERMARK_CATALOG;
    }
    // a simulator recipe's own catalog override (what its servers load), relative to the working folder
    const simulated = await plan({
      hardware: "rtx6000",
      framework: "sim",
      server: "{kind: simulator, options: {catalog: catalog.yaml}}",
    });
    expect(simulated.servers.map((s) => s.name)).toEqual(["dsr1-rtx6000-sim-fp8-tp8-1k1k"]);
  });

  it("refuses a precision the simulator does not know in a simulator recipe, in one line and exit 1", async () => {
    const spec = join(dir, "precision.yaml");
    // before, it planned, and each server then exited with "unknown precision" when it started
    await writeFile(
      spec,
      specYaml({ precision: "fp9", framework: "sim", server: "{kind: simulator}" }),
    );
    const r = await runCli(["plan", spec]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      'infermark: precision: the simulator knows no precision "fp9" (known: bf16, fp8, fp4; nvfp4 and mxfp4 are fp4)\n',
    ]);
    // the aliases the simulator takes, and a real engine's own precisions, plan as before
    await writeFile(
      spec,
      specYaml({ precision: "nvfp4", framework: "sim", server: "{kind: simulator}" }),
    );
    expect((await planSpecFile(spec, dir)).plan.points).toHaveLength(1);
    await writeFile(spec, specYaml({ precision: "int4-awq" }));
    expect((await planSpecFile(spec, dir)).plan.points).toHaveLength(1);
  });
});

describe("infermark plan with dataset scenarios", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const FIXTURES = join(REPO_ROOT, "packages/cli/test/fixtures/sweep");
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    // the spec in one folder, its data in another: the dataset is found from the spec file, not the cwd
    await mkdir(join(dir, "specs"));
    await mkdir(join(dir, "data"));
    for (const f of ["chat.json", "prompts.jsonl"])
      await copyFile(join(FIXTURES, f), join(dir, "data", f));
  });
  afterAll(() => cleanup());

  const scenarios = [
    "{isl: 1024, osl: 1024}",
    "{workload: sharegpt, dataset: ../data/chat.json}",
    "{workload: jsonl, dataset: ../data/prompts.jsonl}",
    "{workload: multi-turn, dataset: ../data/chat.json, turns: 2}",
  ];
  const write = async (list: string[]) => {
    const spec = join(dir, "specs", "ds.yaml");
    await writeFile(
      spec,
      specYaml({
        scenarios: `[${list.join(", ")}]`,
        server: "{kind: command, command: 'serve --max-model-len {{maxModelLen}} --isl {{isl}}'}",
      }),
    );
    return spec;
  };
  const sha = async (f: string) =>
    createHash("sha256")
      .update(await readFile(join(dir, "data", f)))
      .digest("hex");

  it("lists each dataset scenario with its file, requests and longest request, and sizes maxModelLen from it", async () => {
    const spec = await write(scenarios);
    const r = await runCli(["plan", spec]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const chat = (await sha("chat.json")).slice(0, 16);
    const prompts = (await sha("prompts.jsonl")).slice(0, 16);
    // the fixture's lengths are exact under the builtin tokenizer (vocabulary words): ShareGPT's first turns
    // 12+20, 20+24, 16+8, 10+10; the JSONL's 30+10, 50+20, 14+6; the conversations' first two turns in all
    // 12+20+8+16, 20+24+10+12, 16+8, 10+10+10+10
    expect(r.stdout.trim().split("\n").slice(-3)).toEqual([
      `dataset dsr1-h200-vllm-fp8-tp8-sharegpt-chat: ../data/chat.json, 4 requests, mean 15/16 tokens in/out, longest 44 tokens, sha256 ${chat}`,
      `dataset dsr1-h200-vllm-fp8-tp8-jsonl-prompts: ../data/prompts.jsonl, 3 requests, mean 31/12 tokens in/out, longest 70 tokens, sha256 ${prompts}`,
      `dataset dsr1-h200-vllm-fp8-tp8-sharegpt-chat-mt2: ../data/chat.json, 4 conversations of up to 2 turns, mean 12/14 tokens in/out, longest 66 tokens, sha256 ${chat}`,
    ]);
    const json = JSON.parse((await runCli(["plan", spec, "--json"])).stdout);
    expect(json.servers.map((s: { command: string }) => s.command)).toEqual([
      "serve --max-model-len 2304 --isl 1024",
      "serve --max-model-len 300 --isl 15",
      "serve --max-model-len 326 --isl 31",
      // 66 + 256 + 16 x (2 x 2 + 1): a session's messages each carry the chat template's tokens
      "serve --max-model-len 402 --isl 12",
    ]);
    expect(json.servers[1].dataset).toEqual({
      file: "../data/chat.json",
      path: join(dir, "data", "chat.json"),
      sha256: await sha("chat.json"),
      requests: 4,
      longest: 44,
      isl: 15,
      osl: 16,
    });
    expect(json.servers[3].dataset.turns).toBe(2);
  });

  it("gives a dataset's points new fingerprints when its file changes, and keeps the others", async () => {
    const spec = await write(scenarios);
    const before = (await planSpecFile(spec, dir)).plan.points.map((p) => p.fingerprint);
    await appendFile(join(dir, "data", "prompts.jsonl"), '{"prompt": "baba", "max_tokens": 4}\n');
    const after = (await planSpecFile(spec, dir)).plan.points.map((p) => p.fingerprint);
    expect(after.map((f, i) => f === before[i])).toEqual([true, true, false, true]);
  });

  it.each([
    [
      "{workload: sharegpt, dataset: nope.json}",
      (d: string) =>
        `scenarios[1].dataset: cannot read nope.json (ENOENT: no such file or directory, open '${join(d, "specs", "nope.json")}')`,
    ],
    [
      "{workload: sharegpt, dataset: ../data/prompts.jsonl}",
      () =>
        "scenarios[1].dataset: ../data/prompts.jsonl: is not JSON (ShareGPT format is a JSON array)",
    ],
    [
      "{workload: multi-turn, dataset: ../data/empty.json}",
      () =>
        "scenarios[1].dataset: ../data/empty.json: holds no conversation with a human turn and a reply",
    ],
  ])("refuses %s with one line naming the field and exit 1", async (scenario, message) => {
    await writeFile(join(dir, "data", "empty.json"), "[]\n");
    const spec = await write([scenarios[0]!, scenario]);
    const r = await runCli(["plan", spec]);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, "", `infermark: ${message(dir)}\n`]);
  });
});

describe("infermark plan with trace scenarios", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const FIXTURES = join(REPO_ROOT, "packages/cli/test/fixtures/sweep");
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await mkdir(join(dir, "traces"));
    await copyFile(join(FIXTURES, "mooncake-mini.jsonl"), join(dir, "traces", "mini.jsonl"));
  });
  afterAll(() => cleanup());

  const write = async (scenario: string, search = "{tp: [8]}") => {
    const spec = join(dir, "tr.yaml");
    await writeFile(
      spec,
      specYaml({
        scenarios: `[${scenario}]`,
        search,
        server:
          "{kind: command, command: 'serve --max-model-len {{maxModelLen}} --max-num-seqs {{maxConcurrency}}'}",
      }),
    );
    return spec;
  };

  it("lists a trace's points by speedup, its records, span and longest request, and sizes maxModelLen from it", async () => {
    const spec = await write(
      "{workload: trace, dataset: traces/mini.jsonl, blockSize: 64, speedups: [1, 2]}",
    );
    const r = await runCli(["plan", spec]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const sha = createHash("sha256")
      .update(await readFile(join(dir, "traces", "mini.jsonl")))
      .digest("hex");
    // the records' lengths: 100+8, 150+12, a chat record of 200 vocabulary words (exact under the builtin
    // tokenizer) +16, 80+4; 250 ms apart
    const lines = r.stdout.trim().split("\n");
    expect(lines.slice(2, 4).map((l) => l.split(/\s+/))).toEqual([
      ["dsr1-h200-vllm-fp8-tp8-trace-mini-x1", expect.any(String), "8", "-", "4"],
      ["dsr1-h200-vllm-fp8-tp8-trace-mini-x2", expect.any(String), "8", "-", "4"],
    ]);
    expect(lines.at(-1)).toBe(
      `trace dsr1-h200-vllm-fp8-tp8-trace-mini: traces/mini.jsonl, 4 records over 0.75 s (4.00/s as recorded), mean 133/10 tokens in/out, longest 216 tokens, blocks of 64 tokens, speedups 1, 2, sha256 ${sha.slice(0, 16)}`,
    );
    const json = JSON.parse((await runCli(["plan", spec, "--json"])).stdout);
    // no cap: every record replayed may be in flight
    expect(json.servers[0].command).toBe("serve --max-model-len 472 --max-num-seqs 4");
    expect(json.servers[0].dataset).toEqual({
      file: "traces/mini.jsonl",
      path: join(dir, "traces", "mini.jsonl"),
      sha256: sha,
      requests: 4,
      longest: 216,
      isl: 133,
      osl: 10,
      blockSize: 64,
      spanMs: 750,
    });
    expect(json.servers[0].points.map((p: { speedup: number }) => p.speedup)).toEqual([1, 2]);
  });

  it.each([
    [
      "{workload: trace, dataset: traces/mini.jsonl}",
      `scenarios[0].dataset: traces/mini.jsonl:1: "hash_ids" has 2 blocks, but "input_length" 100 fills 1 of 512 tokens (is scenarios[0].blockSize right?)`,
    ],
    [
      "{workload: trace, dataset: traces/nope.jsonl}",
      `scenarios[0].dataset: cannot read traces/nope.jsonl (ENOENT: no such file or directory, open '${"DIR"}/traces/nope.jsonl')`,
    ],
    [
      "{workload: trace, dataset: traces/mini.jsonl, blockSize: 64, osl: 64}",
      "DIR/tr.yaml is invalid: scenarios[0].osl: osl does not apply to a trace scenario: its records give each request's input and output lengths",
    ],
  ])("refuses %s with one line naming the field and exit 1", async (scenario, message) => {
    const spec = await write(scenario);
    const r = await runCli(["plan", spec]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      `infermark: ${message.replace("DIR", dir)}\n`,
    ]);
  });
});
