import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resolveMetric } from "../../src/analysis/analysis-metric.js";
import { compareAt } from "../../src/analysis/compare.js";
import { parseFilterExpression } from "../../src/analysis/filter-expression.js";
import { interactivityRanges } from "../../src/analysis/ranges.js";
import { fromInferencexApiRow } from "../../src/inferencex/api-row.js";
import { dayOf, matchesFilter } from "../../src/schemas/point-filter.js";
import type { PointResult } from "../../src/schemas/point-result.js";

// The repository is <root>/main and the data <root>/shared/data/inferencex (CI has shared/ beside the clone).
const DATA = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../../shared/data/inferencex",
);

function load(file: string): PointResult[] {
  const rows = JSON.parse(readFileSync(resolve(DATA, file), "utf8")) as unknown[];
  return rows.flatMap((row) => {
    const m = fromInferencexApiRow(row, { importedFrom: file });
    return m.ok ? [m.point] : [];
  });
}

/** Each group's points on its own latest date. */
function onLatestDates(points: PointResult[]): PointResult[] {
  const key = (p: PointResult) =>
    [
      p.config.hardware,
      p.config.framework,
      p.config.precision,
      p.config.specDecoding.method,
      p.config.workload.isl,
      p.config.workload.osl,
    ].join(" ");
  const last = new Map<string, string>();
  for (const p of points) {
    const d = dayOf(p.run.date);
    if ((last.get(key(p)) ?? "") < d) last.set(key(p), d);
  }
  return points.filter((p) => dayOf(p.run.date) === last.get(key(p)));
}

// Expected values: derive-expected.py (beside this file) computes them from the raw JSON rows, independently of
// infermark's TypeScript (its own frontier and Steffen code, written from METRICS.md and the 1990 paper).
describe("worked examples on the InferenceX data", () => {
  const history = load("benchmarks-history.json");
  const latest = load("benchmarks.json");

  it("measured interactivity range of MI325X and of H200 SGLang FP8 on their latest dates, per ISL/OSL", () => {
    const selected = history.filter(
      (p) =>
        matchesFilter(p, parseFilterExpression("hardware=mi325x")) ||
        matchesFilter(p, parseFilterExpression("hardware=h200,framework=sglang,precision=fp8")),
    );
    const ranges = interactivityRanges(onLatestDates(selected));
    expect(ranges.map((r) => [r.group.label, r.min, r.max])).toEqual([
      ["dsr1 1024/1024 h200 sglang fp8 mtp agg", 31.766891788813737, 101.5680836589215], // 2026-05-20
      ["dsr1 1024/1024 h200 sglang fp8 agg", 32.76510691499777, 102.77569507341812], // 2026-05-17
      ["dsr1 1024/1024 mi325x sglang fp8 mtp agg", 28.760315008636788, 51.961572204416825], // 2026-05-18
      ["dsr1 1024/1024 mi325x sglang fp8 agg", 70.42524974945293, 70.42524974945293], // 2026-05-18, one point
      ["dsr1 1024/8192 h200 sglang fp8 agg", 32.16736314083178, 97.3609378373029], // 2026-03-25
      ["dsr1 1024/8192 mi325x sglang fp8 agg", 20.60755329076869, 39.25324048388052], // 2026-02-27
      ["dsr1 8192/1024 h200 sglang fp8 mtp agg", 22.608489036698284, 99.13205534953136], // 2026-05-20
      ["dsr1 8192/1024 h200 sglang fp8 agg", 19.725719951273156, 91.08630264412794], // 2026-05-17
      ["dsr1 8192/1024 mi325x sglang fp8 mtp agg", 14.845895650688247, 37.667953712568575], // 2026-05-18
      ["dsr1 8192/1024 mi325x sglang fp8 agg", 54.260975137845705, 54.260975137845705], // 2026-05-18, one point
    ]);
  });

  it("cost per million tokens of a B200 dynamo-trt FP4 point, by hand", () => {
    const [p] = latest.filter(
      (q) =>
        matchesFilter(
          q,
          parseFilterExpression(
            "hardware=b200,framework=dynamo-trt,precision=fp4,spec=mtp,isl=1024",
          ),
        ) && q.config.load.concurrency === 1214,
    );
    // tput_per_gpu 7111.391085862639 tok/s/GPU (4 prefill + 16 decode GPUs), B200 hyperscaler 1.95 $/GPU-h:
    // 1.95 * 1e6 / (7111.391085862639 * 3600) = 0.07616887612094539 $ per million total tokens
    expect(p!.metrics.tputPerGpu).toBe(7111.391085862639);
    const at = (metric: string, tier: "hyperscaler" | "neocloud" | "rental") =>
      resolveMetric(metric).value(p!, { pricing: { tier } });
    expect(at("cost", "hyperscaler")).toBeCloseTo(0.07616887612094539, 14);
    expect(at("cost", "neocloud")).toBeCloseTo(0.09140265134513448, 14); // 2.34 $/GPU-h
    expect(at("cost", "rental")).toBeCloseTo(0.11327679012858546, 14); // 2.9 $/GPU-h
    // input 17777.735 tok/s per prefill GPU, output 4444.805 tok/s per decode GPU, hyperscaler
    expect(at("input-cost", "hyperscaler")).toBeCloseTo(0.030468823277459582, 14);
    expect(at("output-cost", "hyperscaler")).toBeCloseTo(0.12186511090254662, 14);
  });

  it("ratio of B200 to H200 (1024/1024 FP8, every framework pooled) at 50 tok/s/user, inside both frontiers", () => {
    const fp8 = latest.filter((p) =>
      matchesFilter(p, parseFilterExpression("precision=fp8,isl=1024,osl=1024")),
    );
    const a = fp8.filter((p) => p.config.hardware === "b200");
    const b = fp8.filter((p) => p.config.hardware === "h200");
    const [c] = compareAt(a, b, [50]);
    // B200 frontier knots around 50: (46.81, 2658.8) and (66.34, 1619.3); H200: (44.73, 354.0) and (72.36, 277.7)
    expect(c!.a.points.length).toBe(8);
    expect(c!.b.points.length).toBe(8);
    const row = c!.rows[0]!;
    expect(row.a.ok && row.a.value).toBeCloseTo(2385.393121037349, 9);
    expect(row.b.ok && row.b.value).toBeCloseTo(332.1273321277938, 9);
    expect(row.ratio).toBeCloseTo(7.182164460103852, 9);
  });
});
