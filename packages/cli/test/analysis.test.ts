import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fromInferencexApiRow, type PointResult } from "@infermark/core";
import { openStore } from "@infermark/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, runCliInProcess, SHARED_DIR, spawnCli, tempDir } from "./helpers.js";

const DATA = join(SHARED_DIR, "data/inferencex");

function load(file: string): PointResult[] {
  const rows = JSON.parse(readFileSync(join(DATA, file), "utf8")) as unknown[];
  return rows.flatMap((row) => {
    const m = fromInferencexApiRow(row, { importedFrom: file });
    return m.ok ? [m.point] : [];
  });
}

async function makeDb(path: string, file: string): Promise<void> {
  const store = await openStore(path);
  try {
    await store.ingest(load(file), { kind: "import", path: file });
  } finally {
    await store.close();
  }
}

// Expected values: packages/core/test/analysis/derive-expected.py, an independent Python derivation on the raw rows.
describe("analysis commands on a real SQLite store of InferenceX rows", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let latest: string;
  let history: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    latest = join(dir, "latest.db");
    history = join(dir, "history.db");
    await makeDb(latest, "benchmarks.json");
    await makeDb(history, "benchmarks-history.json");
  });
  afterAll(async () => cleanup());

  it("compare and frontier select by the server's image (MI300X's rows ran two SGLang releases)", async () => {
    const v12 = "lmsysorg/sglang:v0.5.12-rocm700-mi30x";
    const v9 = "lmsysorg/sglang:v0.5.9-rocm700-mi30x";
    const r = await runCliInProcess([
      ...["compare", "--db", latest, "--a", `hardware=mi300x,image=${v12}`],
      ...["--b", `hardware=mi300x,image=${v9}`, "--at", "30", "--json"],
    ]);
    expect(r.code).toBe(0);
    // the rows of v0.5.12 are of 1k/1k and 8k/1k, those of v0.5.9 of 1k/8k: no workload has both
    const rows = JSON.parse(r.stdout).rows as {
      workload: string;
      a: number | null;
      b: number | null;
    }[];
    expect(rows.map((x) => [x.workload, x.a !== null, x.b !== null])).toEqual([
      ["dsr1 1024/1024", true, false],
      ["dsr1 1024/8192", false, true],
      ["dsr1 8192/1024", true, false],
    ]);
    const frontier = await runCliInProcess([
      ...["frontier", "--db", latest, "--hardware", "mi300x", "--image", v9, "--json"],
    ]);
    expect(frontier.code).toBe(0);
    const groups = JSON.parse(frontier.stdout).groups as { group: string; points: number }[];
    expect(groups.map((g) => [g.group, g.points])).toEqual([
      ["dsr1 1024/8192 mi300x sglang fp8 agg", 5],
    ]);
    // the same two releases by version (the rows record only the image: its tag is the release)
    const byVersion = await runCliInProcess([
      ...["compare", "--db", latest, "--a", "hardware=mi300x,version=0.5.12"],
      ...["--b", "hardware=mi300x,version=v0.5.9", "--at", "30", "--json"],
    ]);
    expect(byVersion.code).toBe(0);
    expect(JSON.parse(byVersion.stdout).rows).toEqual(rows);
    const byRelease = await runCliInProcess([
      ...["frontier", "--db", latest, "--hardware", "mi300x", "--framework-version", "0.5.9"],
      "--json",
    ]);
    expect(JSON.parse(byRelease.stdout).groups).toEqual(groups);
    // 0.5.1 is another release than 0.5.12
    const none = await runCliInProcess([
      ...["frontier", "--db", latest, "--hardware", "mi300x", "--framework-version", "0.5.1"],
      "--json",
    ]);
    expect([none.code, none.stdout, none.stderr]).toEqual([
      1,
      "",
      `infermark: no stored point matches --hardware mi300x --framework-version 0.5.1 in ${latest}\n`,
    ]);
  });

  it("compare --json gives A, B and their ratio per target", async () => {
    const r = await runCli([
      "compare",
      "--db",
      latest,
      "--isl",
      "1024",
      "--osl",
      "1024",
      "--precision",
      "fp8",
      "--a",
      "hardware=b200",
      "--b",
      "hardware=h200",
      "--at",
      "50,200",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows[0].workload).toBe("dsr1 1024/1024");
    expect(out.rows[0].a).toBeCloseTo(2385.393121037349, 9);
    expect(out.rows[0].b).toBeCloseTo(332.1273321277938, 9);
    expect(out.rows[0].ratio).toBeCloseTo(7.182164460103852, 9);
    // 200 tok/s/user is beyond both frontiers (B200 reaches 142.6, H200 117.3)
    expect(out.rows[1]).toEqual({
      workload: "dsr1 1024/1024",
      target: 200,
      a: null,
      b: null,
      ratio: null,
      reason:
        "A: intvty 200 is outside the frontier's range 41.6-143 tok/s/user; never extrapolated; B: intvty 200 is outside the frontier's range 30.7-117 tok/s/user; never extrapolated",
    });
  });

  it("cost --csv lists the frontier points with their cost per million tokens", async () => {
    const r = await runCli([
      "cost",
      "--db",
      latest,
      "--hardware",
      "b200",
      "--framework",
      "dynamo-trt",
      "--precision",
      "fp4",
      "--spec",
      "mtp",
      "--isl",
      "1024",
      "--osl",
      "1024",
      "--tier",
      "hyperscaler",
      "--csv",
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe(
      "group,intvty,conc,tputPerGpu,costPerMillionTotal,costPerMillionInput,costPerMillionOutput,tokensPerDollar,provisionedJPerToken,tokensPerSecPerMw,jPerToken",
    );
    const row = lines.find((l) => l.split(",")[2] === "1214")!.split(",");
    // 1.95 $/GPU-h * 1e6 / (7111.391085862639 tok/s/GPU * 3600) = 0.07616887612094539 $/M total tokens
    expect(Number(row[4])).toBeCloseTo(0.07616887612094539, 14);
    // provisioned: 2.17 kW * 1000 / 7111.391 = 0.30514 J/token; 7111.391 * 1000 / 2.17 = 3277138.8 tok/s per MW
    expect(Number(row[8])).toBeCloseTo(2170 / 7111.391085862639, 12);
    expect(Number(row[9])).toBeCloseTo(7111391.085862639 / 2.17, 6);
  });

  /** `trend` of H200 SGLang FP8 without spec decoding, 1024/1024, at 50 tok/s/user. */
  const h200Trend = (db: string, ...more: string[]) =>
    runCli([
      "trend",
      "--db",
      db,
      "--isl",
      "1024",
      "--osl",
      "1024",
      "--group",
      "hardware=h200,framework=sglang,precision=fp8,spec=none",
      "--at",
      "50",
      ...more,
    ]);

  it("trend --json: each date's value at the target and the factor between the first and last", async () => {
    const r = await h200Trend(history, "--json");
    expect(r.code).toBe(0);
    const [g] = JSON.parse(r.stdout).groups;
    expect(g.group).toBe("dsr1 1024/1024 h200 sglang fp8 agg");
    expect(g.dates.length).toBe(9);
    expect(g.dates[0].date).toBe("2025-12-13");
    expect(g.dates[0].value).toBeCloseTo(287.15927272837695, 9);
    expect(g.dates[8].value).toBeCloseTo(362.7488069400165, 9);
    expect(g.factor.from).toBe("2025-12-13");
    expect(g.factor.to).toBe("2026-05-17");
    expect(g.factor.factor).toBeCloseTo(1.2632320854327397, 9);
    // the history rows record no image; the latest ones do, and the trend names the software each date ran
    expect(g.dates[8].software).toEqual([]);
    // (at 90 tok/s/user: the latest file's H200 frontier spans 85.4-102.8, so 50 has no value and exits 1)
    const latestTrend = await runCli([
      ...["trend", "--db", latest, "--isl", "1024", "--osl", "1024"],
      ...["--group", "hardware=h200,framework=sglang,precision=fp8,spec=none", "--at", "90"],
    ]);
    expect(latestTrend.code).toBe(0);
    expect(latestTrend.stdout).toMatch(/2026-05-17 +(-|[0-9.]+) +v0\.5\.12-cu130 /);
  });

  it("trend --between takes two days D1,D2 (either may be left out) and refuses anything else", async () => {
    const ok = await h200Trend(history, "--json", "--between", "2026-01-01,2026-05-16");
    expect(ok.code).toBe(0);
    const [g] = JSON.parse(ok.stdout).groups;
    expect([g.factor.from, g.factor.to]).toEqual(["2026-01-23", "2026-05-13"]);
    const open = await h200Trend(history, "--json", "--between", ",2026-05-16");
    expect(JSON.parse(open.stdout).groups[0].factor.from).toBe("2025-12-13");
    // a day that is not YYYY-MM-DD compared as text would silently select other dates (or none)
    for (const bad of ["2026-1-1,2026-5-1", ","]) {
      const r = await h200Trend(history, "--json", "--between", bad);
      expect(r.code, bad).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(
        `--between expects D1,D2 (days YYYY-MM-DD or first, previous, latest; either may be left out), got "${bad}"`,
      );
    }
    const reversed = await h200Trend(history, "--json", "--between", "2026-05-01,2026-01-01");
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain("--between: 2026-05-01 is after 2026-01-01");
  });

  it("names the flag of an unknown metric, grouping or filter, exit 2 (they were exit 1 without the flag)", async () => {
    const cases: [string[], string][] = [
      [["frontier", "--y", "nope"], 'infermark: --y: unknown metric "nope"; known: '],
      [["frontier", "--x", "tpot"], 'infermark: --x: unknown metric "tpot"; known: '],
      [
        ["frontier", "--group-by", "+foo"],
        'infermark: --group-by: unknown grouping dimension "foo"',
      ],
      [
        ["compare", "--a", "foo=bar", "--b", "hardware=h200", "--at", "50"],
        'infermark: --a: filter "foo=bar": unknown key "foo"',
      ],
      [
        ["compare", "--a", "hardware=b200", "--b", "hardware", "--at", "50"],
        'infermark: --b: filter "hardware": "hardware" is not key=value',
      ],
      // compare pools each side per workload: --group-by was accepted and read by nothing
      [
        [
          "compare",
          "--a",
          "hardware=b200",
          "--b",
          "hardware=h200",
          "--at",
          "50",
          "--group-by",
          "+tp",
        ],
        "infermark: --group-by does not apply to compare",
      ],
      // core's message named the flag too: "--group-by: --group-by: ..."
      [
        ["frontier", "--group-by", "-model"],
        'infermark: --group-by: the workload dimension "model" cannot be pooled',
      ],
      [
        ["frontier", "--group-by", "+tp,framework"],
        'infermark: --group-by: grouping "+tp,framework": use either +dim/-dim changes or a plain list, not both',
      ],
      // the margin metrics need a provider's prices, which only `margin` takes: exit 1 with no way to give them
      ...(["frontier", "compare", "trend"] as const).map((command): [string[], string] => [
        [
          command,
          ...(command === "compare" ? ["--a", "hardware=b200", "--b", "hardware=h200"] : []),
          ...(command === "frontier" ? [] : ["--at", "50"]),
          "--y",
          "margin-output",
        ],
        "infermark: --y: marginOutput needs a provider's prices per million tokens: use infermark margin --price-in X --price-out Y",
      ]),
      // 1 / std(TPOT) is no interactivity: a frontier was drawn on it, and targets read on it
      ...(
        [
          ["frontier", "--x"],
          ["frontier", "--y"],
          ["trend", "--at", "50", "--x"],
          ["compare", "--a", "hardware=b200", "--b", "hardware=h200", "--at", "50", "--y"],
        ] as const
      ).map((args): [string[], string] => [
        [...args, "intvty.std"],
        `infermark: ${args.at(-1)}: intvty.std is 1 / std(TPOT), InferenceX's std_intvty: neither an interactivity nor their spread (docs/metrics.md), so a frontier on it means nothing; interactivity axes: intvty.mean, intvty (median), intvty.p90, intvty.p99, intvty.p999\n`,
      ]),
      // a metric against itself: one point per group, drawn as a frontier
      [
        ["frontier", "--x", "tput"],
        "infermark: --x tput and --y tput (the default) are one metric, tputPerGpu: a frontier of a metric against itself is a single point; choose another for one of them\n",
      ],
      [
        ["trend", "--at", "50", "--y", "intvty.median"],
        "infermark: --x intvty (the default) and --y intvty.median are one metric, intvty: a frontier of a metric against itself is a single point; choose another for one of them\n",
      ],
      // a range that holds no day answered "no points" without saying why
      [
        ["frontier", "--from", "2026-03-01", "--to", "2026-02-01"],
        "infermark: --from 2026-03-01 is after --to 2026-02-01: no day lies between them",
      ],
      // trend's --group was checked deep inside the command: exit 1, no flag named
      [
        ["trend", "--group", "colour=red", "--at", "50"],
        'infermark: --group: filter "colour=red": unknown key "colour"',
      ],
      // frontier's modes exclude each other: --ranges printed ranges and dropped --at, --leaders, --best-per-gpu
      [
        ["frontier", "--ranges", "--at", "40"],
        "infermark: --ranges, --leaders and --best-per-gpu exclude each other, and --ranges takes no --at or --y",
      ],
      [
        ["frontier", "--ranges", "--leaders", "--at", "40"],
        "infermark: --ranges, --leaders and --best-per-gpu exclude each other, and --ranges takes no --at or --y",
      ],
      [
        ["frontier", "--ranges", "--y", "cost"],
        "infermark: --ranges, --leaders and --best-per-gpu exclude each other, and --ranges takes no --at or --y",
      ],
      [
        ["frontier", "--leaders", "--best-per-gpu", "--at", "40"],
        "infermark: --ranges, --leaders and --best-per-gpu exclude each other, and --ranges takes no --at or --y",
      ],
    ];
    for (const [args, start] of cases) {
      const r = await runCliInProcess([...args, "--db", latest]);
      expect([r.code, r.stdout], args.join(" ")).toEqual([2, ""]);
      expect(r.stderr.startsWith(start), r.stderr).toBe(true);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("says which row each missing value's reason is about (the footers gave reasons without their group)", async () => {
    // MI300X's two SGLang releases ran different workloads: each side is missing from the other's
    const compare = await runCliInProcess([
      ...["compare", "--db", latest, "--a", "hardware=mi300x,version=0.5.12"],
      ...["--b", "hardware=mi300x,version=0.5.9", "--at", "30"],
    ]);
    expect(compare.code).toBe(0);
    expect(compare.stdout).toContain("dsr1 1024/1024 at 30: B: no points selected");
    expect(compare.stdout).toContain("dsr1 1024/8192 at 30: A: no points selected");
    const margin = await runCliInProcess([
      ...["margin", "--db", latest, "--hardware", "gb200", "--at", "50"],
      ...["--price-in", "0.5", "--price-out", "2"],
    ]);
    expect(margin.code).toBe(0);
    // a single-point frontier's range, named by its group and target
    expect(margin.stdout).toMatch(
      /no value \(-\): dsr1 \S+ gb200 [^:]+ at 50 \([^)]+\): intvty 50\.0 is outside the frontier's range/,
    );
    expect(margin.stdout).toMatch(/\.\.\. \(\d+ in all; --json lists every one\)/);
  });

  it("trend --fail-on-regression on the history file, as docs/analysis.md's worked example says", async () => {
    const gate = (...more: string[]) =>
      runCli([
        ...["trend", "--db", history, "--isl", "1024", "--osl", "1024", "--at", "40"],
        ...["--group", "hardware=h200,framework=sglang,precision=fp8,spec=none"],
        ...["--fail-on-regression", "5", ...more],
      ]);
    const group = "dsr1 1024/1024 h200 sglang fp8 agg";
    const [asOf, cost, latest] = await Promise.all([
      gate("--to", "2026-05-13"),
      gate("--to", "2026-05-13", "--y", "cost"),
      gate(),
    ]);
    expect(asOf.code).toBe(1);
    expect(asOf.stdout).toMatch(
      /factor +0\.6873 +2026-03-25 -> 2026-05-13: regressed: dropped 31\.27% \(limit 5%\)/,
    );
    expect(asOf.stderr.trim().split("\n")).toEqual([
      `infermark: regressed: ${group}: tputPerGpu@40 dropped 31.27%, more than 5% (375 on 2026-03-25 -> 257.7 on 2026-05-13, factor 0.6873)`,
      "infermark: trend gate failed: 1 of 1 group regressed more than 5% in tputPerGpu@40 (2026-03-25 -> 2026-05-13), 0 missing",
    ]);
    expect(cost.code).toBe(1);
    expect(cost.stderr).toContain(
      `${group}: costPerMillionTotal@40 rose 45.5%, more than 5% (1.045 on 2026-03-25 -> 1.52 on 2026-05-13, factor 1.455)`,
    );
    expect(latest.code).toBe(0);
    expect(latest.stderr.trim()).toBe(
      "infermark: trend gate passed: 0 of 1 group regressed more than 5% in tputPerGpu@40 (2026-05-13 -> 2026-05-17), 0 missing",
    );
    // the other H200 groups of 1024/1024 ran on other days of the history: missing, and the gate fails on them
    const all = await runCli([
      ...["trend", "--db", history, "--isl", "1024", "--osl", "1024", "--at", "40"],
      ...["--hardware", "h200", "--to", "2026-05-13", "--fail-on-regression", "5"],
    ]);
    expect(all.code).toBe(1);
    expect(all.stderr).toContain(
      "infermark: missing: dsr1 1024/1024 h200 trt fp8 agg: not measured on 2026-03-25 or 2026-05-13 (fails the gate; --allow-missing lets it pass)",
    );
    expect(all.stderr).toContain(
      "infermark: trend gate failed: 1 of 7 groups regressed more than 5% in tputPerGpu@40 (2026-03-25 -> 2026-05-13), 6 missing",
    );
  });

  // Expected values from an independent Node derivation on the raw rows of both files (latest of each configuration
  // and concurrency over both, one frontier per group or side, Steffen written from the paper).
  it("reads both files imported into one store as docs/analysis.md says (compare, trend, cost at a target)", async () => {
    const both = join(dir, "both.db");
    const imported = await runCliInProcess(["import", "inferencex", DATA, "--db", both]);
    expect(imported.code).toBe(0);
    const compare = await runCliInProcess([
      ...["compare", "--db", both, "--isl", "1024", "--osl", "1024", "--precision", "fp8"],
      ...["--a", "hardware=b200", "--b", "hardware=h200", "--at", "50", "--json"],
    ]);
    const [row] = JSON.parse(compare.stdout).rows;
    // the history file's levels join the latest point set: H200 rises from 332.13 (latest file alone) to 756.16
    expect(row.a).toBeCloseTo(2367.3764818651835, 9);
    expect(row.b).toBeCloseTo(756.1601764725287, 9);
    expect(row.ratio).toBeCloseTo(3.130787041588126, 9);
    const trend = await h200Trend(both, "--json");
    const [g] = JSON.parse(trend.stdout).groups;
    expect(g.dates.at(-1).value).toBeCloseTo(359.26132427448806, 9);
    expect(g.factor.factor).toBeCloseTo(359.26132427448806 / 287.15927272837695, 9);
    // cost at a target is what the throughput there costs (0.10688 $/M from the 6081.47 tok/s/GPU `frontier --at 40`
    // gives), and tokens per dollar its reciprocal (METRICS.md). Cost interpolated as itself was 0.10756, and tokens
    // per dollar on its own 9356111.59, 0.6% off
    const cost = await runCliInProcess([
      ...["cost", "--db", both, "--isl", "1024", "--osl", "1024", "--hardware", "b200"],
      ...[
        "--framework",
        "dynamo-sglang",
        "--precision",
        "fp4",
        "--spec",
        "mtp",
        "--tier",
        "neocloud",
      ],
      ...["--at", "40", "--json"],
    ]);
    const values = JSON.parse(cost.stdout).rows[0].values;
    expect(values.costPerMillionTotal).toBeCloseTo(0.10688200864054431, 12);
    expect(values.tokensPerDollar / (1e6 / values.costPerMillionTotal)).toBeCloseTo(1, 12);
    // a frontier of two knots far apart (GB300 dynamo-trt FP8, 12.6 and 135.6 tok/s/user): at 75 its throughput is
    // 4,834 tok/s/GPU, which at 2.652 $/GPU-h costs 0.1524 $/M. Cost interpolated as itself read 13.139 $/M (86
    // times that), beside tokens per dollar of 6.56 M, a figure of the throughput
    const gb300Group = ["--isl", "1024", "--osl", "1024", "--hardware", "gb300"];
    const gb300Config = ["--framework", "dynamo-trt", "--precision", "fp8", "--spec", "none"];
    const sparse = await runCliInProcess([
      ...["cost", "--db", both, ...gb300Group, ...gb300Config, "--at", "75", "--json"],
    ]);
    expect(sparse.code).toBe(0);
    const [gb300] = JSON.parse(sparse.stdout).rows;
    expect(gb300.group).toBe("dsr1 1024/1024 gb300 dynamo-trt fp8 disagg");
    const tput = await runCliInProcess([
      ...["frontier", "--db", both, ...gb300Group, ...gb300Config, "--at", "75", "--json"],
    ]);
    const [{ value: tputAt75 }] = JSON.parse(tput.stdout).groups[0].values;
    expect(tputAt75).toBeCloseTo(4833.873528583656, 9);
    expect(gb300.values.costPerMillionTotal).toBeCloseTo((2.652 * 1e6) / (3600 * tputAt75), 12);
    expect(gb300.values.tokensPerDollar).toBeCloseTo(1e6 / gb300.values.costPerMillionTotal, 6);
    expect(gb300.values.tokensPerSecPerMw).toBeCloseTo(1e6 / gb300.values.provisionedJPerToken, 6);
  });

  it("gives each missing value's own reason: no energy is not 'outside the frontier'", async () => {
    // MI355X SGLang FP8 1024/1024 in the history file: only its last date's rows (2026-05-27) report energy
    const selection = ["--isl", "1024", "--osl", "1024", "--hardware", "mi355x"];
    const group = [...selection, "--framework", "sglang", "--precision", "fp8", "--spec", "none"];
    // beside H200, whose history rows report none (with no value anywhere, the command says so and exits 1)
    const frontier = await runCliInProcess([
      ...["frontier", "--db", history, ...group.map((a) => (a === "mi355x" ? "mi355x,h200" : a))],
      ...["--y", "j-per-token", "--at", "40"],
    ]);
    expect(frontier.code).toBe(0);
    const lines = frontier.stdout.trim().split("\n");
    expect(lines[2]).toMatch(/^dsr1 1024\/1024 h200 sglang fp8 agg +-$/);
    expect(lines[3]).toMatch(/^dsr1 1024\/1024 mi355x sglang fp8 agg +1\.226$/);
    // the footer said "- = outside its range" whatever the reason
    expect(lines.slice(4)).toEqual([
      "jPerToken in J/token (measured or reported) at intvty targets (Steffen interpolation on each frontier, never extrapolated)",
      "no value (-): dsr1 1024/1024 h200 sglang fp8 agg at 40: none of 3 point(s) has both intvty and J/token",
    ]);
    const none = await runCliInProcess([
      ...["frontier", "--db", history, ...group, "--date", "2026-01-01"],
      ...["--y", "j-per-token", "--at", "40"],
    ]);
    expect([none.code, none.stdout, none.stderr]).toEqual([
      1,
      "",
      "infermark: no value at 40: dsr1 1024/1024 mi355x sglang fp8 agg at 40: none of 3 point(s) has both intvty and J/token\n",
    ]);
    const trend = await runCliInProcess([
      ...["trend", "--db", history, ...group, "--y", "j-per-token", "--at", "40"],
    ]);
    expect(trend.code).toBe(0);
    const first = trend.stdout.trim().split("\n")[2]!;
    // the note said "outside the frontier" for dates whose points carry no energy at all
    expect(first).toMatch(
      /^dsr1 1024\/1024 mi355x sglang fp8 agg +2025-12-15 +- +none of 3 point\(s\) has both intvty and J\/token *$/,
    );
    // margin has no provisioned figures; its footer named them and not the provider's prices
    const margin = await runCliInProcess([
      ...[
        "margin",
        "--db",
        latest,
        ...group,
        "--price-in",
        "0.5",
        "--price-out",
        "2",
        "--at",
        "95",
      ],
    ]);
    // (95: the latest file's frontier of this group spans 89.9-101 tok/s/user; at 40 nothing has a value, exit 1)
    expect(margin.code).toBe(0);
    expect(margin.stdout.trim().split("\n")[3]).toBe(
      "pricing: hyperscaler; provider prices: $0.5 per million input tokens, $2 per million output tokens",
    );
  });

  it("margin and frontier tables print; bad flags exit 2 with one line", async () => {
    const m = await runCli([
      "margin",
      "--db",
      latest,
      "--hardware",
      "h200",
      "--framework",
      "sglang",
      "--precision",
      "fp8",
      "--spec",
      "none",
      "--isl",
      "1024",
      "--osl",
      "1024",
      "--price-in",
      "0.5",
      "--price-out",
      "2",
      "--at",
      "90",
      "--json",
    ]);
    expect(m.code).toBe(0);
    const row = JSON.parse(m.stdout).rows[0];
    // 90 tok/s/user: inside the output frontier (85.4-102.8; several rows lack output_tput_per_gpu)
    // margin on output = 1 - cost_out / 2, cost_out interpolated on its own frontier: the two agree exactly
    expect(row.values.marginOutput).toBeCloseTo(1 - row.values.costPerMillionOutput / 2, 12);
    const bad = await runCli(["cost", "--db", latest, "--tier", "cheap"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'infermark: --tier expects hyperscaler, neocloud, rental, got "cheap"',
    );
    const ranges = await runCli([
      "frontier",
      "--db",
      latest,
      "--ranges",
      "--hardware",
      "mi325x",
      "--isl",
      "1024",
      "--osl",
      "8192",
      "--json",
    ]);
    expect(JSON.parse(ranges.stdout).groups).toEqual([
      {
        group: "dsr1 1024/8192 mi325x sglang fp8 agg",
        min: expect.any(Number),
        max: expect.any(Number),
        frontierMin: expect.any(Number),
        frontierMax: expect.any(Number),
        points: expect.any(Number),
      },
    ]);
  });

  it("refuses an ISL past 2^53 or empty with one line naming the flag (zod's issue list reached the user)", async () => {
    for (const isl of ["99999999999999999999", ""]) {
      const r = await runCliInProcess(["frontier", "--db", history, "--isl", isl]);
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toContain(`--isl expects an integer >= 0, got "${isl}"`);
      expect(r.stderr.trim().split("\n")[0]).toMatch(/^error: option '--isl <n>' argument/);
    }
  });

  it("--latest states the default point set; with --all-dates it is refused; trend offers none of them", async () => {
    const frontier = ["frontier", "--db", history, "--hardware", "h200", "--json"];
    const asOf = ["--date", "2026-01-01"];
    const byDefault = await runCliInProcess([...frontier, ...asOf]);
    const latestFlag = await runCliInProcess([...frontier, ...asOf, "--latest"]);
    const allDates = await runCliInProcess([...frontier, "--all-dates"]);
    expect([latestFlag.code, latestFlag.stderr]).toEqual([0, ""]);
    expect(latestFlag.stdout).toBe(byDefault.stdout);
    const dates = (stdout: string) =>
      new Set<string>(
        JSON.parse(stdout).groups.flatMap((g: { frontier: { date: string }[] }) =>
          g.frontier.map((p) => p.date.slice(0, 10)),
        ),
      );
    expect([...dates(latestFlag.stdout)].every((d) => d <= "2026-01-01")).toBe(true);
    expect([...dates(allDates.stdout)].some((d) => d > "2026-01-01")).toBe(true);

    const commands = [
      ["frontier"],
      ["compare", "--a", "hardware=b200", "--b", "hardware=h200", "--at", "50"],
      ["cost"],
      ["margin", "--price-in", "0.5", "--price-out", "2", "--at", "50"],
    ];
    for (const command of commands) {
      const r = await runCliInProcess([...command, "--db", history, "--latest", "--all-dates"]);
      expect([r.code, r.stdout, r.stderr], command[0]).toEqual([
        2,
        "",
        "infermark: --latest and --all-dates exclude each other\n",
      ]);
    }
    // trend reads every date: flags choosing a point set would be ignored, so it does not take them
    for (const flag of [["--latest"], ["--date", "2026-01-01"], ["--all-dates"]]) {
      const r = await runCliInProcess(["trend", "--db", history, "--at", "50", ...flag]);
      expect([r.code, r.stdout], flag[0]).toEqual([2, ""]);
      // one line, commander's did-you-mean (--date: --at?) and the hint on it
      expect(r.stderr).toMatch(
        new RegExp(
          `^error: unknown option '${flag[0]}'( \\(Did you mean --\\w+\\?\\))? \\(run with --help for usage\\)\\n$`,
        ),
      );
    }
  });

  it("refuses a selection or target that leaves nothing: one line naming it, exit 1, nothing on stdout", async () => {
    // each of these printed an empty table (or one of "-") and exited 0
    const nope = ["--hardware", "nope"];
    const h200 = ["--hardware", "h200", "--isl", "1024", "--osl", "1024"];
    const prices = ["--price-in", "0.5", "--price-out", "2"];
    const outside =
      "intvty 500 is outside the frontier's range 36.7-117 tok/s/user; never extrapolated";
    // (cost: its J/token has another reason, no energy, so "1 more")
    const cases: [string[], string][] = [
      [["frontier", ...nope, "--json"], `no stored point matches --hardware nope in ${latest}`],
      [
        ["cost", ...nope, "--isl", "1024"],
        `no stored point matches --isl 1024 --hardware nope in ${latest}`,
      ],
      [
        ["margin", ...nope, ...prices, "--at", "40"],
        `no stored point matches --hardware nope in ${latest}`,
      ],
      [
        ["trend", "--group", "hardware=nope", "--at", "40"],
        `no stored point matches --group hardware=nope in ${latest}`,
      ],
      [
        ["compare", "--a", "hardware=b2000", "--b", "hardware=h200", "--at", "50"],
        "--a hardware=b2000 matches none of the 435 stored point(s) the filters select",
      ],
      [
        ["compare", "--isl", "1024", "--a", "hardware=b200", "--b", "hardware=h2000", "--at", "50"],
        "--b hardware=h2000 matches none of the 265 stored point(s) the filters select",
      ],
      [
        ["frontier", ...h200, "--at", "500"],
        `no value at 500: dsr1 1024/1024 h200 dynamo-sglang fp8 mtp disagg at 500: ${outside} (and 7 more; infermark frontier --ranges gives each group's measured range)`,
      ],
      [
        ["frontier", ...h200, "--at", "500", "--leaders"],
        "no value at 500: dsr1 1024/1024 at 500: none of its 8 group(s) has a value there",
      ],
      [
        ["cost", ...h200, "--framework", "dynamo-sglang", "--spec", "mtp", "--at", "500"],
        `no value at 500: dsr1 1024/1024 h200 dynamo-sglang fp8 mtp disagg at 500: ${outside} (and 1 more; infermark frontier --ranges gives each group's measured range)`,
      ],
      [
        [
          "compare",
          "--isl",
          "1024",
          "--osl",
          "1024",
          "--a",
          "hardware=h200",
          "--b",
          "hardware=h100",
          "--at",
          "500",
        ],
        `no value at 500: dsr1 1024/1024 at 500: A: intvty 500 is outside the frontier's range 30.7-117 tok/s/user; never extrapolated; B: intvty 500 is outside the frontier's range 8.4-87.2 tok/s/user; never extrapolated (infermark frontier --ranges gives each group's measured range)`,
      ],
      [
        ["trend", ...h200, "--framework", "dynamo-sglang", "--spec", "mtp", "--at", "500"],
        `no value at 500: dsr1 1024/1024 h200 dynamo-sglang fp8 mtp disagg on 2026-02-07: ${outside} (infermark frontier --ranges gives each group's measured range)`,
      ],
      [
        [
          "margin",
          ...h200,
          "--framework",
          "dynamo-sglang",
          "--spec",
          "mtp",
          ...prices,
          "--at",
          "500",
        ],
        `no value at 500: dsr1 1024/1024 h200 dynamo-sglang fp8 mtp disagg at 500: ${outside} (infermark frontier --ranges gives each group's measured range)`,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCliInProcess([...args, "--db", latest]);
      expect([r.code, r.stdout, r.stderr], args.join(" ")).toEqual([
        1,
        "",
        `infermark: ${message}\n`,
      ]);
    }
    // points that lack a metric were selected: the empty frontier is a result that counts them (bench.test.ts)
    const lacking = await runCliInProcess([
      ...["frontier", "--db", latest, ...h200, "--y", "j-per-token", "--json"],
    ]);
    expect([lacking.code, lacking.stderr]).toEqual([
      0,
      "infermark: no rows: every matching point lacks intvty or jPerToken\n",
    ]);
    // a target that some group reaches is a result: the others say why they have no value
    const some = await runCliInProcess(["frontier", "--db", latest, ...h200, "--at", "40,500"]);
    expect([some.code, some.stderr]).toEqual([0, ""]);
    // so is one side's value where the other's frontier does not reach: H100 stops at 87.2 tok/s/user
    const oneSide = await runCliInProcess([
      ...["compare", "--db", latest, "--isl", "1024", "--osl", "1024"],
      ...["--a", "hardware=h200", "--b", "hardware=h100", "--at", "100", "--json"],
    ]);
    expect(oneSide.code).toBe(0);
    const [row] = JSON.parse(oneSide.stdout).rows;
    expect([row.a === null, row.b, row.ratio]).toEqual([false, null, null]);
  });

  it("stops quietly when the reader closes the pipe early (export | head)", async () => {
    const child = spawnCli(["export", "--db", history, "--format", "csv"]);
    child.stdin.end();
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    // read the first chunk, then close the pipe: the CLI still has most of 1,462 rows to write
    const first = await new Promise<string>((resolve) =>
      child.stdout.once("data", (d) => resolve(String(d))),
    );
    expect(first.startsWith("id,source,date")).toBe(true);
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
