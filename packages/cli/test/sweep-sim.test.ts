import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PointResult, planSweep, RequestRecord, SweepSpec } from "@infermark/core";
import { resolveSimConfig, steadyState } from "@infermark/sim";
import { openStore } from "@infermark/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { GITHUB_TEMPLATE_PATH, renderGithubWorkflow } from "../src/sweep/github/write-workflow.js";
import { loadSweepSpec } from "../src/sweep/load-spec.js";
import { pointSeed } from "../src/sweep/measure-point.js";
import { TOOL_VERSION } from "../src/version.js";
import { REPO_ROOT, runCli, tempDir } from "./helpers.js";
import { simSpec } from "./sim-spec.js";
import { STORE_TARGETS } from "./store-targets.js";
import { findStep, runWorkflowStep, type Workflow, type WorkflowStep } from "./workflow-steps.js";

const POINT = "dsr1-h200-sim-fp8-tp8-256x64/dsr1-h200-sim-fp8-tp8-256x64-c1.json";
const FIXTURES = join(REPO_ROOT, "packages/cli/test/fixtures/sweep");

/** One multi-turn point: 2 sessions of 2 turns (4 requests) at concurrency 2. */
const MULTI_TURN = simSpec({
  scenarios: [
    { isl: 64, osl: 16, rangeRatio: 1, workload: "multi-turn", turns: 2, thinkTimeMs: 50 },
  ],
  search: { tp: [8], concurrency: [2] },
  limits: { requests: 4, warmupPerConcurrency: 0, requestTimeoutS: 60, stopGraceS: 5 },
  saveRequests: true,
});
const MT_SERVER = "dsr1-h200-sim-fp8-tp8-64x16-mt2";

/**
 * The fixture's ShareGPT file (4 conversations; exact lengths under the builtin tokenizer) as requests and as
 * sessions of at most 2 turns, and its JSONL file (3 requests), each at concurrency 2: 5 requests a point, so
 * the files' entries come round again.
 */
const DATASETS = simSpec({
  scenarios: [
    { workload: "sharegpt", dataset: "data/chat.json" },
    { workload: "jsonl", dataset: "data/prompts.jsonl" },
    { workload: "multi-turn", dataset: "data/chat.json", turns: 2 },
  ],
  search: { tp: [8], concurrency: [2] },
  limits: { requests: 5, warmupPerConcurrency: 0, requestTimeoutS: 60, stopGraceS: 5 },
  saveRequests: true,
});

/**
 * The fixture's 4-record trace (3 Mooncake records of 64-token blocks and a chat record of 200 vocabulary words,
 * exact under the builtin tokenizer; 250 ms apart) replayed at speedups 2 and 1, one point each, its first 3
 * records (limits.requests).
 */
const TRACE = simSpec({
  scenarios: [
    { workload: "trace", dataset: "data/mooncake-mini.jsonl", blockSize: 64, speedups: [2, 1] },
  ],
  search: { tp: [8] },
  limits: { requests: 3, requestTimeoutS: 60, stopGraceS: 5 },
  saveRequests: true,
});
const TRACE_SERVER = "dsr1-h200-sim-fp8-tp8-trace-mooncake-mini";

/**
 * Writes `spec` as `<folder>/<name>.yaml`, sweeps it into `<folder>/<name>` and `<folder>/<name>.db`, and expects
 * every one of its `points` measured.
 */
async function sweepInto(
  folder: string,
  name: string,
  spec: Record<string, unknown>,
  points: number,
): Promise<{ out: string; db: string }> {
  const specPath = join(folder, `${name}.yaml`);
  await writeFile(specPath, stringify(spec));
  const out = join(folder, name);
  const db = join(folder, `${name}.db`);
  // no CI re-run's attempt: each point's seed is its first measurement's (pointSeed)
  const r = await runCli(["sweep", specPath, "--output-dir", out, "--db", db], {
    env: { GITHUB_RUN_ATTEMPT: "" },
    timeoutMs: 120_000,
  });
  expect([r.code, r.stdout.trim()]).toEqual([
    0,
    `${points} measured, 0 already measured, 0 failed; results in ${out}`,
  ]);
  return { out, db };
}

/**
 * Copies the fixture `files` into `<folder>/data`, sweeps `spec` there as `sweepInto` does, and returns the stored
 * points sorted by name, with the results folder.
 */
async function sweepWithData(
  folder: string,
  name: string,
  files: readonly string[],
  spec: Record<string, unknown>,
  points: number,
): Promise<{ out: string; points: PointResult[] }> {
  await mkdir(join(folder, "data"), { recursive: true });
  for (const f of files) await cp(join(FIXTURES, f), join(folder, "data", f));
  const { out, db } = await sweepInto(folder, name, spec, points);
  const store = await openStore(db);
  try {
    const stored = (await store.queryPoints()).map((p) => p.point);
    // the simulator's /version: the engine version every point records
    expect([...new Set(stored.map((p) => p.config.frameworkVersion))]).toEqual([TOOL_VERSION]);
    return {
      out,
      points: stored.sort((a, b) => a.run.pointName!.localeCompare(b.run.pointName!)),
    };
  } finally {
    await store.close();
  }
}

/** The request records of a server's point (`c2`, `x1`) in a sweep's results folder. */
async function requestRecords(out: string, server: string, point: string) {
  return (await readFile(join(out, server, `${server}-${point}.requests.jsonl`), "utf8"))
    .trim()
    .split("\n")
    .map((l) => RequestRecord.parse(JSON.parse(l)));
}

/** The GitHub workflow's report step that ingests the downloaded artifacts. */
function reportIngestStep(workflow: Workflow): WorkflowStep {
  return workflow.jobs.report!.steps.find((s) => s.run?.includes("infermark ingest"))!;
}

describe("infermark sweep with a simulator recipe (infermark sim serve --speed 10)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("infermark-sweep-sim-"));
  });
  afterAll(() => cleanup());

  // the simulator's own batch-1 TPOT (about 9 ms on 8 H200), as `sim predict` gives it
  const engineTpotS = steadyState(
    resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8 }),
    256,
    64,
    1,
  ).tpotS;

  it.each([
    ["the sweep's own time scale", {}],
    ["bench: {timeScale: auto}", { bench: { timeScale: "auto" } }],
  ])(
    "reports the simulated engine's times, scaled once (%s)",
    async (label, over) => {
      const name = label.includes("auto") ? "auto" : "default";
      const specPath = join(dir, `${name}.yaml`);
      await writeFile(specPath, stringify(simSpec(over)));
      const out = join(dir, name);
      const r = await runCli(["sweep", specPath, "--output-dir", out, "--no-ingest"], {
        timeoutMs: 120_000,
      });
      expect([r.code, r.stdout.trim()]).toEqual([
        0,
        `1 measured, 0 already measured, 0 failed; results in ${out}`,
      ]);
      const point = PointResult.parse(JSON.parse(await readFile(join(out, POINT), "utf8")));
      expect(point.run.source).toBe("simulated");
      expect(point.extra?.timeScale).toBe(10);
      expect(point.extra?.sweep).toMatchObject({ timeScale: 10 });
      // without saveRequests, no request records are written
      expect((await readdir(join(out, "dsr1-h200-sim-fp8-tp8-256x64"))).sort()).toEqual([
        "dsr1-h200-sim-fp8-tp8-256x64-c1.json",
        "server.log",
      ]);
      // wide bounds: wall-clock jitter on a busy machine is multiplied by the speed too; scaled twice gives ~10
      expect(point.metrics.tpot!.median! / engineTpotS).toBeGreaterThan(0.7);
      expect(point.metrics.tpot!.median! / engineTpotS).toBeLessThan(2);
    },
    130_000,
  );

  it("with saveRequests, keeps each point's request records beside its result and stores them with it", async () => {
    const specPath = join(dir, "records.yaml");
    await writeFile(specPath, stringify(simSpec({ saveRequests: true })));
    const out = join(dir, "records");
    const db = join(dir, "records.db");
    const r = await runCli(["sweep", specPath, "--output-dir", out, "--db", db], {
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(0);
    const point = PointResult.parse(JSON.parse(await readFile(join(out, POINT), "utf8")));
    const lines = (await readFile(join(out, POINT.replace(/\.json$/, ".requests.jsonl")), "utf8"))
      .trim()
      .split("\n");
    const records = lines.map((l) => RequestRecord.parse(JSON.parse(l)));
    expect(records.map((x) => x.warmup)).toEqual([true, false, false, false]);
    // the records are on the simulated engine's clock, as the metrics are
    const measured = records.filter((x) => !x.warmup);
    const e2el = measured.map((x) => (x.tEnd! - x.tSend) / 1000).sort((a, b) => a - b);
    expect(e2el[1]).toBeCloseTo(point.metrics.e2el!.median!, 9);
    // the sweep's ingest, and `infermark ingest` of the point and its records file, store them alike
    const db2 = join(dir, "records-ingest.db");
    const jsonl = join(out, POINT.replace(/\.json$/, ".requests.jsonl"));
    const ingested = await runCli(["ingest", join(out, POINT), jsonl, "--db", db2]);
    expect(ingested.code).toBe(0);
    // and so does the report job of `--executor github`, over the matrix jobs' artifacts downloaded into
    // results/ (each configuration's folder, failure records and server log included)
    const workflow: Workflow = parseYaml(
      renderGithubWorkflow(
        await readFile(GITHUB_TEMPLATE_PATH, "utf8"),
        planSweep(await loadSweepSpec(specPath)),
        "records.yaml",
      ),
    );
    const ingestStep = reportIngestStep(workflow);
    expect(ingestStep.run).toBe(
      "find results -name '*.failed.json' -delete\nnpx --no infermark ingest --db infermark.db results\n",
    );
    const secrets = { "vars.INFERMARK_CATALOG": "", "secrets.INFERMARK_DB_URL != ''": "false" };
    const ci = join(dir, "ci");
    await cp(out, join(ci, "results"), { recursive: true });
    const failure = { schema: "infermark.point-failure/v1", pointName: "x-c2", reason: "boom" };
    await writeFile(
      join(ci, "results", POINT.replace(/c1\.json$/, "c2.failed.json")),
      JSON.stringify(failure),
    );
    await runWorkflowStep(workflow, "report", ingestStep, ci, secrets);
    const stores = [db, db2, join(ci, "infermark.db")];
    // with the secret INFERMARK_DB_URL, the same folder goes into the shared PostgreSQL too
    const pg = STORE_TARGETS.find((t) => t.name === "postgres")!;
    if (pg.skip) console.warn(`the report job's shared-PostgreSQL step is not run: ${pg.skip}`);
    const shared = pg.skip ? undefined : await pg.create();
    if (shared) {
      const step = findStep(workflow, "report", "Store the PointResults in the shared database");
      const { stdout: said } = await runWorkflowStep(workflow, "report", step, ci, {
        ...secrets,
        "secrets.INFERMARK_DB_URL != ''": "true",
        "secrets.INFERMARK_DB_URL": shared.url,
      });
      expect(said).toContain("1 inserted");
      expect(said).not.toContain(`:${new URL(shared.url).password}@`);
      stores.push(shared.url);
    }
    for (const path of stores) {
      const store = await openStore(path);
      try {
        const [stored] = await store.queryPoints();
        expect(await store.getRequestRecords(stored!.id)).toEqual(records);
      } finally {
        await store.close();
      }
    }
    await shared?.cleanup();
  }, 130_000);

  it("sends each level of a server new prompts: the prefix cache one level left serves no other", async () => {
    const spec = simSpec({
      search: { tp: [8], concurrency: [1, 2] },
      limits: { requests: 4, warmupPerConcurrency: 1, requestTimeoutS: 60, stopGraceS: 5 },
      saveRequests: true,
    });
    const { out } = await sweepInto(dir, "levels", spec, 2);
    const server = "dsr1-h200-sim-fp8-tp8-256x64";
    const c1 = await requestRecords(out, server, "c1");
    const c2 = await requestRecords(out, server, "c2");
    // 256-token random prompts, each unique: none of c1's blocks comes back in c2 (from one seed for both levels, c2
    // sent c1's prompts again and the simulator served 192 of each prompt's 256 tokens from its cache)
    expect(c1.map((r) => r.promptTokens)).toEqual([256, 256, 256, 256, 256]);
    expect(c2.map((r) => r.cachedPromptTokens ?? 0)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(c1.map((r) => r.cachedPromptTokens ?? 0)).toEqual([0, 0, 0, 0, 0]);
    // each point records the seed it drew from: its own, bench.seed (0) + a hash of its workload and concurrency
    const seeds = [];
    for (const level of ["c1", "c2"]) {
      const file = join(out, server, `${server}-${level}.json`);
      seeds.push(PointResult.parse(JSON.parse(await readFile(file, "utf8"))).config.workload.seed);
    }
    const parsed = SweepSpec.parse(spec);
    expect(seeds).toEqual(planSweep(parsed).points.map((p) => pointSeed(parsed, p)));
    expect(seeds[0]).not.toBe(seeds[1]);
  }, 130_000);

  it("measures a multi-turn scenario's sessions and stores the point as a session workload with its turns", async () => {
    const { out, db } = await sweepInto(dir, "mt", MULTI_TURN, 1);
    const store = await openStore(db);
    try {
      const points = await store.queryPoints();
      expect(points.map((p) => p.point.run.pointName)).toEqual([`${MT_SERVER}-c2`]);
      const { point } = points[0]!;
      expect(point.config.workload).toMatchObject({
        kind: "session",
        isl: 64,
        osl: 16,
        turns: 2,
        thinkTimeMs: 50,
        thinkTime: "fixed",
        prefixLength: 0,
      });
      expect(point.metrics.completed).toBe(4);
    } finally {
      await store.close();
    }
    // each request is a turn of a session; the second carries the first turn and its reply
    const lines = await readFile(join(out, MT_SERVER, `${MT_SERVER}-c2.requests.jsonl`), "utf8");
    const records = lines
      .trim()
      .split("\n")
      .map((l) => RequestRecord.parse(JSON.parse(l)));
    const turns = records.map((x) => [x.session, x.turn, x.promptTokens]).sort();
    // 64 new user tokens, then 64 + the 16-token reply + 64
    expect(turns).toEqual([
      ["s0", 1, 64],
      ["s0", 2, 144],
      ["s1", 1, 64],
      ["s1", 2, 144],
    ]);
  }, 130_000);

  it("measures dataset scenarios (ShareGPT and JSONL requests, ShareGPT sessions) and stores each point with its workload", async () => {
    const { out, points } = await sweepWithData(
      join(dir, "ds"),
      "ds",
      ["chat.json", "prompts.jsonl"],
      DATASETS,
      3,
    );
    expect(
      points.map((p) => [
        p.run.pointName,
        p.config.workload.kind,
        p.config.workload.dataset,
        p.config.workload.isl,
        p.config.workload.osl,
        p.config.workload.turns,
        p.metrics.completed,
      ]),
    ).toEqual([
      [
        "dsr1-h200-sim-fp8-tp8-jsonl-prompts-c2",
        "jsonl",
        "data/prompts.jsonl",
        31,
        12,
        undefined,
        5,
      ],
      [
        "dsr1-h200-sim-fp8-tp8-sharegpt-chat-c2",
        "sharegpt",
        "data/chat.json",
        15,
        16,
        undefined,
        5,
      ],
      ["dsr1-h200-sim-fp8-tp8-sharegpt-chat-mt2-c2", "session", "data/chat.json", 12, 14, 2, 5],
    ]);
    // the ShareGPT requests are the file's 4 first turns (shuffled by the seed), then one of them again
    const records = (server: string) => requestRecords(out, server, "c2");
    const share = await records("dsr1-h200-sim-fp8-tp8-sharegpt-chat");
    expect(share).toHaveLength(5);
    expect([...new Set(share.map((x) => x.promptTokens))].sort((a, b) => a! - b!)).toEqual([
      10, 12, 16, 20,
    ]);
    // sessions: a second turn carries the first, the server's reply to it, and the conversation's next user turn
    // (the fixture's second user turns by the first's length: 12 -> 8, 20 -> 10, 10 -> 10; 16 has none)
    const sessions = await records("dsr1-h200-sim-fp8-tp8-sharegpt-chat-mt2");
    const nextUser: Record<number, number> = { 12: 8, 20: 10, 10: 10 };
    const seconds = sessions.filter((x) => x.turn === 2);
    expect([sessions.length, seconds.length > 0]).toEqual([5, true]);
    for (const second of seconds) {
      const first = sessions.find((x) => x.session === second.session && x.turn === 1)!;
      expect(second.promptTokens).toBe(
        first.promptTokens! + first.outputTokens! + nextUser[first.promptTokens!]!,
      );
    }
  }, 130_000);

  it("replays a trace scenario at each of its speedups and stores each point in trace mode with its speedup", async () => {
    const { out, points } = await sweepWithData(
      join(dir, "trace"),
      "trace",
      ["mooncake-mini.jsonl"],
      TRACE,
      2,
    );
    expect(
      points.map((p) => [
        p.run.pointName,
        p.config.load,
        p.config.workload.kind,
        p.config.workload.trace?.speedup,
        p.config.workload.trace?.blockSize,
        p.config.workload.isl,
        p.config.workload.osl,
        p.config.workload.seed,
        p.metrics.completed,
      ]),
    ).toEqual(
      // the rate: 2 gaps over the 3 records' 500 ms, at each speedup; the lengths: those 3 records' means (the
      // file's 4 have 133 / 10); the seed: each speedup's own (below)
      [1, 2].map((x) => [
        `${TRACE_SERVER}-x${x}`,
        { mode: "trace", rate: 4 * x, requests: 3, warmupRequests: 0 },
        "trace",
        x,
        64,
        150,
        12,
        expect.any(Number),
        3,
      ]),
    );
    expect(new Set(points.map((p) => p.config.workload.seed)).size).toBe(2);
    // the simulator was started with the plan's context length, the longest record (200 + 16) + 256
    const served = points.map(
      (p) => (p.run.simulator!.served as { data: { max_model_len: number }[] }).data[0]!,
    );
    expect(served.map((m) => m.max_model_len)).toEqual([472, 472]);
    // each record sent at its timestamp over the speedup (the engine's ms), with its own length
    for (const [speedup, point] of [
      [1, "x1"],
      [2, "x2"],
    ] as const) {
      const records = await requestRecords(out, TRACE_SERVER, point);
      expect(records.map((x) => [x.promptTokens, x.requestedOutputTokens, x.outputTokens])).toEqual(
        [
          [100, 8, 8],
          [150, 12, 12],
          [200, 16, 16],
        ],
      );
      // the prefix cache serves a record what the trace's hash ids share with an earlier one (the second's first
      // 64-token block); at x2 nothing of x1's Mooncake prompts, which came from another seed, but the chat
      // record, which is sent as written (its first 192 tokens: 3 whole blocks)
      // The first record's blocks are cached once its prefill step ends: the second record (125 ms later at x2, 12.5 ms
      // of wall clock at speed 10) finds them when it was sent after the first one's first token, as it is on a quiet
      // machine; sent before (a CI run on a loaded machine sent it late), it may come too early for them.
      const second = records[1]!;
      const afterFirstToken = second.tSend >= records[0]!.events[0]!.t;
      expect([
        records[0]!.cachedPromptTokens,
        afterFirstToken ? second.cachedPromptTokens : 64,
        records[2]!.cachedPromptTokens,
      ]).toEqual(speedup === 1 ? [0, 64, 0] : [0, 64, 192]);
      expect([0, 64]).toContain(second.cachedPromptTokens);
      // the schedule, in the engine's ms: wall-clock times scaled by the speed, so equal to about 1e-12 ms (one CI run
      // read 124.99999999999977 for 125: the digits depend on where on the clock the run fell)
      const first = records[0]!.tSched!;
      const offsets = records.map((x) => x.tSched! - first);
      expect(offsets).toHaveLength(3);
      for (const [i, t] of [0, 250, 500].entries()) expect(offsets[i]).toBeCloseTo(t / speedup, 6);
    }
  }, 130_000);
});
