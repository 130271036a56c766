import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir } from "./helpers.js";

// The analysis commands over a point whose output throughput contradicts its own concurrency, output length and E2EL
// (Little's law; core's throughputConsistency, docs/metrics.md "Self-consistency"): the figures stay as published,
// and each command says, once, that a flagged point lies on a frontier it prints or enters a value it reports.

const DATA = join(REPO_ROOT, "examples/data/inferencex");

type Row = Record<string, unknown> & { conc: number; date: string };

/** InferenceX's MI355X ATOM FP8 MTP 1k/1k rows at `conc` (the one of 2026-06-02 at 512: 0.021x Little's law). */
const atom = (conc: number, date: string) => (r: Row) =>
  r.hardware === "mi355x" &&
  r.framework === "atom" &&
  r.precision === "fp8" &&
  r.spec_method === "mtp" &&
  r.isl === 1024 &&
  r.osl === 1024 &&
  r.conc === conc &&
  r.date === date;

const FLAGGED =
  "(output throughput more than 4x from Little's law; docs/metrics.md, \"Self-consistency\"), kept as published: (mi355x atom fp8 mtp 1024/1024 conc 512, 2026-06-02) reports 202 output tok/s (25.3 per GPU x 8 decode GPUs), Little's law gives 9430 (concurrency 512 x 1024 nominal output tokens / mean E2EL 55.6 s): 0.021x";
const ON_FRONTIERS = `1 flagged point on the frontiers ${FLAGGED}`;
const AT_TARGETS = `1 flagged point in the values at the targets ${FLAGGED}`;

describe("analysis commands name the flagged points they read", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let db: string;
  let latestDb: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    const latest = JSON.parse(await readFile(join(DATA, "benchmarks.json"), "utf8")) as Row[];
    const history = JSON.parse(
      await readFile(join(DATA, "benchmarks-history.json"), "utf8"),
    ) as Row[];
    // the flagged row (intvty 16.1, 50.5 tok/s/GPU) and the group's consistent row at 256 (intvty 15.0, 945
    // tok/s/GPU) as of the same day: neither dominates the other, so both are the group's frontier
    const rows = join(dir, "rows.json");
    await writeFile(
      rows,
      JSON.stringify([
        latest.find(atom(512, "2026-06-02")),
        { ...history.find(atom(256, "2026-05-20")), date: "2026-06-02" },
      ]),
    );
    db = join(dir, "atom.db");
    latestDb = join(dir, "latest.db");
    for (const [file, store] of [
      [rows, db],
      [join(DATA, "benchmarks.json"), latestDb],
    ] as const) {
      const r = await runCli(["import", "inferencex", file, "--db", store]);
      expect(r.code).toBe(0);
    }
  }, 60_000);
  afterAll(() => cleanup());

  const warning = (line: string) => `infermark: warning: ${line}\n`;

  it("frontier: on a printed frontier, on stderr and in the JSON; the figures as published", async () => {
    const r = await runCli(["frontier", "--db", db]);
    expect([r.code, r.stderr]).toEqual([0, warning(ON_FRONTIERS)]);
    expect(r.stdout.split("\n").slice(2, 4)).toEqual([
      "dsr1 1024/1024 mi355x atom fp8 mtp agg   15.02         945   256       atom   8  2026-06-02",
      "dsr1 1024/1024 mi355x atom fp8 mtp agg   16.13       50.53   512       atom   8  2026-06-02",
    ]);
    const json = await runCli(["frontier", "--db", db, "--json"]);
    expect(json.stderr).toBe(warning(ON_FRONTIERS));
    const out = JSON.parse(json.stdout);
    expect(out.warnings).toEqual([ON_FRONTIERS]);
    expect(out.groups[0].frontier.map((p: { y: number }) => Math.round(p.y))).toEqual([945, 51]);
  }, 60_000);

  it("frontier --at: in a value interpolated between the two knots", async () => {
    const between = await runCli(["frontier", "--db", db, "--at", "15.5", "--json"]);
    expect([between.code, between.stderr]).toEqual([0, warning(AT_TARGETS)]);
    expect(JSON.parse(between.stdout).warnings).toEqual([AT_TARGETS]);
  }, 60_000);

  it("cost: on its frontier rows; with --at in the values", async () => {
    const rows = await runCli(["cost", "--db", db, "--json"]);
    expect([rows.code, rows.stderr]).toEqual([0, warning(ON_FRONTIERS)]);
    expect(JSON.parse(rows.stdout).warnings).toEqual([ON_FRONTIERS]);
    const at = await runCli(["cost", "--db", db, "--at", "15.5"]);
    expect([at.code, at.stderr]).toEqual([0, warning(AT_TARGETS)]);
  }, 60_000);

  it("compare and trend: in the values they report", async () => {
    const compare = await runCli([
      ...["compare", "--db", db, "--a", "framework=atom", "--b", "hardware=mi355x"],
      ...["--at", "15.5", "--json"],
    ]);
    const inAB = `1 flagged point in the values of A or B ${FLAGGED}`;
    expect([compare.code, compare.stderr]).toEqual([0, warning(inAB)]);
    expect(JSON.parse(compare.stdout).warnings).toEqual([inAB]);
    const trend = await runCli(["trend", "--db", db, "--group", "framework=atom", "--at", "15.5"]);
    const byDate = `1 flagged point in the values by date ${FLAGGED}`;
    expect([trend.code, trend.stderr]).toEqual([0, warning(byDate)]);
  }, 60_000);

  it("frontier --leaders and --best-per-gpu: in a leader's value, on stderr and in the JSON's warnings", async () => {
    for (const mode of ["--leaders", "--best-per-gpu"]) {
      const r = await runCli(["frontier", "--db", db, mode, "--at", "15.5", "--json"]);
      expect([mode, r.code, r.stderr]).toEqual([mode, 0, warning(AT_TARGETS)]);
      const out = JSON.parse(r.stdout);
      expect(out.warnings).toEqual([AT_TARGETS]);
      expect(out.rows.map((row: { leader: string }) => row.leader)).toEqual([
        "dsr1 1024/1024 mi355x atom fp8 mtp agg",
      ]);
    }
  }, 60_000);

  it("frontier --ranges: the published file's flagged row is its group's lowest interactivity", async () => {
    const args = ["--hardware", "mi355x", "--framework", "atom", "--precision", "fp8"];
    const r = await runCli(["frontier", "--db", latestDb, "--ranges", ...args, "--json"]);
    const atEnds = `1 flagged point at the ends of the ranges ${FLAGGED}`;
    expect([r.code, r.stderr]).toEqual([0, warning(atEnds)]);
    const out = JSON.parse(r.stdout);
    expect(out.warnings).toEqual([atEnds]);
    const [mtp] = out.groups.filter((g: { group: string }) => g.group.endsWith("mtp agg"));
    // 16.13 tok/s/user at 512 (the flagged row) is the low end; the frontier starts at 81.63 (it is dominated)
    expect([mtp.min, mtp.frontierMin].map((v: number) => Math.round(v * 100) / 100)).toEqual([
      16.13, 81.63,
    ]);
    // the same GPU and engine at FP4 have no flagged row: nothing to say
    const fp4 = await runCli([
      ...["frontier", "--db", latestDb, "--ranges", "--hardware", "mi355x"],
      ...["--framework", "atom", "--precision", "fp4"],
    ]);
    expect([fp4.code, fp4.stderr]).toEqual([0, ""]);
  }, 60_000);

  it("says nothing of a flagged point off every frontier (the published file: dominated at 512)", async () => {
    for (const args of [
      ["frontier", "--hardware", "mi355x"],
      ["frontier", "--hardware", "mi355x", "--at", "20,40", "--json"],
      ["cost", "--hardware", "mi355x"],
      ["frontier", "--hardware", "mi355x", "--leaders", "--at", "20,40", "--json"],
      ["frontier", "--hardware", "mi355x", "--best-per-gpu", "--at", "20,40", "--json"],
    ]) {
      const r = await runCli([...args, "--db", latestDb]);
      expect([args, r.code, r.stderr]).toEqual([args, 0, ""]);
      if (args.includes("--json")) expect(JSON.parse(r.stdout).warnings).toEqual([]);
    }
  }, 60_000);
});
