import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, SHARED_DIR, tempDir } from "./helpers.js";

// What a script piping `--json` into jq relies on: every analysis command prints one JSON object on stdout (never a
// bare array), with its rows under a named key and a `warnings` array, and says everything else on stderr.

const DATA = join(SHARED_DIR, "data/inferencex");
const H200 = ["--hardware", "h200", "--isl", "1024", "--osl", "1024"];

/** Each analysis command's `--json` and the top-level keys of its object. */
const COMMANDS: [string[], string[]][] = [
  [
    ["frontier", ...H200],
    ["groups", "warnings", "x", "y"],
  ],
  [
    ["frontier", ...H200, "--at", "40"],
    ["groups", "warnings", "x", "y"],
  ],
  [
    ["frontier", ...H200, "--ranges"],
    ["groups", "skipped", "warnings", "x", "y"],
  ],
  [
    ["frontier", ...H200, "--leaders", "--at", "40"],
    ["rows", "warnings", "x", "y"],
  ],
  [
    ["frontier", ...H200, "--best-per-gpu", "--at", "40"],
    ["rows", "warnings", "x", "y"],
  ],
  [
    ["compare", "--isl", "1024", "--osl", "1024", "--a", "hardware=b200", "--b", "hardware=h200"],
    ["a", "b", "points", "rows", "warnings", "x", "y"],
  ],
  [
    ["cost", ...H200],
    ["metrics", "pricing", "rows", "warnings", "x"],
  ],
  [
    ["margin", ...H200, "--price-in", "0.5", "--price-out", "2"],
    ["metrics", "prices", "pricing", "rows", "warnings", "x"],
  ],
  [
    ["trend", ...H200],
    ["between", "direction", "groups", "target", "warnings", "y"],
  ],
];

describe("analysis --json: one object with a warnings array", () => {
  let cleanup: () => Promise<void>;
  let db: string;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    db = join(dir, "latest.db");
    const r = await runCli(["import", "inferencex", join(DATA, "benchmarks.json"), "--db", db]);
    expect(r.code).toBe(0);
  }, 60_000);
  afterAll(() => cleanup());

  it("every command, frontier's --ranges, --leaders and --best-per-gpu too", async () => {
    for (const [args, keys] of COMMANDS) {
      // compare, margin and trend need targets; a second --at would be refused by the others
      const at = ["compare", "margin", "trend"].includes(args[0]!) ? ["--at", "50"] : [];
      const r = await runCli([...args, ...at, "--db", db, "--json"]);
      expect([args, r.code, r.stderr]).toEqual([args, 0, ""]);
      const out = JSON.parse(r.stdout);
      expect([args, Array.isArray(out), Object.keys(out).sort()]).toEqual([args, false, keys]);
      expect([args, out.warnings]).toEqual([args, []]);
    }
  }, 120_000);

  it("frontier --leaders names its metric and unit as the plain frontier does", async () => {
    const r = await runCli([
      ...["frontier", "--db", db, "--isl", "1024", "--osl", "1024", "--precision", "fp8"],
      ...["--leaders", "--at", "50", "--y", "cost", "--tier", "neocloud", "--json"],
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect([out.x, out.y]).toEqual([
      { id: "intvty", unit: "tok/s/user" },
      { id: "costPerMillionTotal", unit: "$/M tokens" },
    ]);
    expect(out.rows.map((row: { partition: string; target: number }) => row.partition)).toEqual([
      "dsr1 1024/1024",
    ]);
  }, 60_000);

  it("frontier --ranges on an x no selected point has: an empty result and a note, as the plain frontier", async () => {
    // it said "no stored point matches --hardware h200 ..." and exit 1, though 20 points matched
    const args = ["--db", db, ...H200, "--x", "jPerToken", "--json"];
    const ranges = await runCli(["frontier", "--ranges", ...args]);
    expect([ranges.code, ranges.stderr]).toEqual([
      0,
      "infermark: no rows: every matching point lacks jPerToken\n",
    ]);
    expect(JSON.parse(ranges.stdout)).toEqual({
      x: { id: "jPerToken", unit: "J/token (measured or reported)" },
      y: { id: "tputPerGpu", unit: "tok/s/GPU" },
      groups: [],
      skipped: 20,
      warnings: [],
    });
    const frontier = await runCli(["frontier", ...args]);
    expect([frontier.code, frontier.stderr]).toEqual([
      0,
      "infermark: no rows: every matching point lacks jPerToken or tputPerGpu\n",
    ]);
  }, 60_000);
});
