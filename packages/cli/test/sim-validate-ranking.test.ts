import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PointResult } from "@infermark/core";
import { type CurvePoint, predictSweep, throughputAtInteractivity } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir } from "./helpers.js";

interface Scope {
  scope: string;
  sets: number;
  decisions: number;
  top1: number;
  noPick: number;
  pairs: { ordered: number; same: number; inverted: number; predictedTies: number };
  regret: { mean: number; worst: number; worstDecision: { pick: string; best: string } | null };
}
interface Report {
  ranking: { tieTolerance: number; scopes: Scope[] };
}

let dir: string;
let cleanup: () => Promise<void>;
let agree: string;
let inverted: string;
// the points of gpt-oss-120b on H200 with SGLang: TP1 on one GPU, which the simulator gives far more throughput per
// GPU than TP4 on four at every interactivity both reach
let tp1: PointResult[];
let tp4: PointResult[];
const sweep = (tp: number) =>
  predictSweep(
    { model: "gptoss120b", hardware: "h200", precision: "fp4", framework: "sglang", tp },
    { isl: 1024, osl: 128, concurrency: [1, 4, 16], requests: 16 },
  ).points.map((p) => ({
    ...p,
    run: { ...p.run, source: "measured" as const },
    config: { ...p.config, framework: "sglang" },
  }));
const jsonl = (points: readonly PointResult[]) =>
  `${points.map((p) => JSON.stringify(p)).join("\n")}\n`;
const curveOf = (points: readonly PointResult[]): CurvePoint[] =>
  points.map((p) => ({ intvty: p.metrics.intvty!.median!, tputPerGpu: p.metrics.tputPerGpu! }));

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  tp1 = sweep(1);
  tp4 = sweep(4);
  agree = join(dir, "agree.jsonl");
  await writeFile(agree, jsonl([...tp1, ...tp4]));
  // the same measurements with the layouts swapped: TP4 measured what TP1 would, and the reverse
  inverted = join(dir, "inverted.jsonl");
  await writeFile(
    inverted,
    jsonl([
      ...tp1.map((p, i) => ({ ...p, config: tp4[i]!.config })),
      ...tp4.map((p, i) => ({ ...p, config: tp1[i]!.config })),
    ]),
  );
});
afterAll(() => cleanup());

/** The interactivities measured that both curves span: where a planner chooses between them. */
function targets(a: CurvePoint[], b: CurvePoint[]): number[] {
  const spans = (c: CurvePoint[], x: number) =>
    Math.min(...c.map((p) => p.intvty)) <= x && Math.max(...c.map((p) => p.intvty)) >= x;
  return [...new Set([...a, ...b].map((p) => p.intvty))].filter((x) => spans(a, x) && spans(b, x));
}

describe("sim validate: does the predicted order of layouts hold", () => {
  it("measured as predicted: every decision picks the measured best, no pair inverted", async () => {
    const decisions = targets(curveOf(tp1), curveOf(tp4)).length;
    expect(decisions).toBeGreaterThan(0);
    const r = await runCli(["sim", "validate", agree, "--json"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const { ranking } = JSON.parse(r.stdout) as Report;
    expect(ranking.tieTolerance).toBe(0.03);
    // one framework, one engine: the three scopes see the same single set
    for (const s of ranking.scopes)
      expect([
        s.sets,
        s.decisions,
        s.top1,
        s.noPick,
        s.pairs,
        s.regret.mean,
        s.regret.worst,
      ]).toEqual([
        1,
        decisions,
        decisions,
        0,
        { ordered: decisions, same: decisions, inverted: 0, predictedTies: 0, measuredTies: 0 },
        1,
        1,
      ]);
    expect(ranking.scopes.map((s) => s.scope)).toEqual(["framework", "engine", "all"]);
  }, 60_000);

  it("measured the other way round: every pick misses, every pair inverted, the share is the measured ratio", async () => {
    // TP4 is labelled with TP1's measurements (the better), TP1 with TP4's
    const better = curveOf(tp1);
    const worse = curveOf(tp4);
    const xs = targets(better, worse);
    const shares = xs.map(
      (x) =>
        throughputAtInteractivity(worse, x).tputPerGpu /
        throughputAtInteractivity(better, x).tputPerGpu,
    );
    const [json, text] = await Promise.all([
      runCli(["sim", "validate", inverted, "--json"]),
      runCli(["sim", "validate", inverted]),
    ]);
    expect([json.code, json.stderr, text.code, text.stderr]).toEqual([0, "", 0, ""]);
    const framework = (JSON.parse(json.stdout) as Report).ranking.scopes[0]!;
    expect([
      framework.decisions,
      framework.top1,
      framework.pairs.inverted,
      framework.pairs.same,
    ]).toEqual([xs.length, 0, xs.length, 0]);
    expect(framework.regret.worstDecision).toMatchObject({
      pick: "sglang 1x(tp1) none",
      best: "sglang 1x(tp4) none",
    });
    expect(framework.regret.worst).toBeCloseTo(Math.min(...shares), 9);
    expect(framework.regret.mean).toBeCloseTo(shares.reduce((s, x) => s + x, 0) / shares.length, 9);
    const lines = text.stdout.split("\n");
    const row = lines.find((l) => l.startsWith("framework "))!;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect(row.split(/\s{2,}/)).toEqual([
      "framework",
      "1",
      String(xs.length),
      `0/${xs.length} (0.0%)`,
      `0/${xs.length} (0.0%)`,
      "100.0%",
      "0.0%",
      "0",
      pct(framework.regret.mean),
      pct(framework.regret.worst),
    ]);
    expect(lines.find((l) => l.startsWith("worst pick (framework): "))).toMatch(
      /^worst pick \(framework\): gptoss120b h200 fp4 1024\/128 sglang at [\d.]+ tok\/s\/user: predicted sglang 1x\(tp1\) none, measured \d+ tok\/s\/GPU against \d+ for sglang 1x\(tp4\) none \(\d+\.\d%\)$/,
    );
  }, 60_000);

  it("prints the ranking of the InferenceX data, the figures of --json", async () => {
    const data = join(REPO_ROOT, "examples/data/inferencex/benchmarks.json");
    const [json, text] = await Promise.all([
      runCli(["sim", "validate", data, "--json"]),
      runCli(["sim", "validate", data]),
    ]);
    expect([json.code, text.code, text.stderr]).toEqual([0, 0, ""]);
    const { ranking } = JSON.parse(json.stdout) as Report;
    const lines = text.stdout.split("\n");
    expect(lines).toContain(
      "ranking: does the simulator order measured configurations as they measured? Per model, GPU, precision and ISL/OSL, at each measured interactivity two or more configurations were measured across (each interpolated on its own measured points); throughput per GPU within 3.0% is a tie",
    );
    for (const s of ranking.scopes) {
      expect(s.decisions).toBeGreaterThan(20);
      const row = lines.find((l) => l.startsWith(`${s.scope} `))!.split(/\s{2,}/);
      expect(row.slice(0, 5)).toEqual([
        s.scope,
        String(s.sets),
        String(s.decisions),
        `${s.top1}/${s.decisions} (${((s.top1 / s.decisions) * 100).toFixed(1)}%)`,
        `${s.pairs.same}/${s.pairs.ordered} (${((s.pairs.same / s.pairs.ordered) * 100).toFixed(1)}%)`,
      ]);
    }
  }, 60_000);
});
