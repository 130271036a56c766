import { describe, expect, it } from "vitest";
import { decisionSets, engineOf } from "./decision-sets.js";
import type { ValidationCase } from "./read-rows.js";

// A measured point of dsr1 on h200 FP8 1k/1k; `layout` names its curve and its configuration.
function point(
  framework: string,
  layout: string,
  concurrency: number,
  measured: [number, number],
  more: { date?: string; hardware?: string; configKey?: string; tp?: number } = {},
): ValidationCase {
  const hardware = more.hardware ?? "h200";
  const curveKey = `dsr1 ${hardware} ${framework} fp8 1024/1024 ${layout}`;
  return {
    group: `dsr1 ${hardware} ${framework} fp8 1024/1024 agg none`,
    curveKey,
    configKey: more.configKey ?? curveKey,
    hardware,
    framework,
    date: more.date ?? "2026-01-01",
    isl: 1024,
    osl: 1024,
    meanIsl: 1024,
    meanOsl: 1024,
    concurrency,
    options: { model: "dsr1", hardware, precision: "fp8", framework, tp: more.tp ?? 8 },
    measured: { intvty: measured[0], tputPerGpu: measured[1] },
  };
}

const predicted = (configKey: string) =>
  configKey.includes("unpredicted") ? undefined : [{ intvty: 100, tputPerGpu: configKey.length }];

describe("decisionSets", () => {
  const cases = [
    point("sglang", "tp8", 4, [80, 200]),
    point("sglang", "tp4", 4, [70, 300], { tp: 4 }),
    point("dynamo-sglang", "disagg", 64, [40, 900]),
    point("trt", "tp8", 4, [85, 220]),
    point("sglang", "tp8", 4, [50, 50], { hardware: "b200" }),
    point("sglang", "unpredicted", 8, [60, 400]),
  ];

  it("groups configurations by model, GPU, precision and ISL/OSL, and by framework or engine as the scope says", () => {
    const sets = (scope: "framework" | "engine" | "all") =>
      decisionSets(cases, scope, predicted).map((s) => [
        s.key,
        s.configurations.map((c) => c.label),
      ]);
    expect(sets("framework")).toEqual([
      ["dsr1 h200 fp8 1024/1024 sglang", ["sglang 1x(tp8) none", "sglang 1x(tp4) none"]],
      ["dsr1 h200 fp8 1024/1024 dynamo-sglang", ["dynamo-sglang 1x(tp8) none"]],
      ["dsr1 h200 fp8 1024/1024 trt", ["trt 1x(tp8) none"]],
      ["dsr1 b200 fp8 1024/1024 sglang", ["sglang 1x(tp8) none"]],
    ]);
    expect(sets("engine")).toEqual([
      [
        "dsr1 h200 fp8 1024/1024 sglang",
        ["sglang 1x(tp8) none", "sglang 1x(tp4) none", "dynamo-sglang 1x(tp8) none"],
      ],
      ["dsr1 h200 fp8 1024/1024 trt", ["trt 1x(tp8) none"]],
      ["dsr1 b200 fp8 1024/1024 sglang", ["sglang 1x(tp8) none"]],
    ]);
    expect(sets("all")[0]).toEqual([
      "dsr1 h200 fp8 1024/1024",
      [
        "sglang 1x(tp8) none",
        "sglang 1x(tp4) none",
        "dynamo-sglang 1x(tp8) none",
        "trt 1x(tp8) none",
      ],
    ]);
  });

  it("keeps the latest point of each concurrency and joins the predicted curves of a curve's configurations", () => {
    const [set] = decisionSets(
      [
        point("trt", "tp8", 4, [80, 200], { date: "2026-02-01", configKey: "mtp3" }),
        point("trt", "tp8", 4, [82, 260], { date: "2026-03-01", configKey: "mtp3" }),
        point("trt", "tp8", 4, [81, 230], { date: "2026-01-01", configKey: "mtp3" }),
        point("trt", "tp8", 1024, [20, 3000], { configKey: "mtp1-longer" }),
      ],
      "framework",
      (k) => [{ intvty: 50, tputPerGpu: k.length * 100 }],
    );
    expect(set!.configurations).toHaveLength(1);
    expect(set!.configurations[0]!.measured).toEqual([
      { intvty: 82, tputPerGpu: 260 },
      { intvty: 20, tputPerGpu: 3000 },
    ]);
    // both predicted at 50 tok/s/user: the frontier keeps the larger
    expect(set!.configurations[0]!.predicted).toEqual([{ intvty: 50, tputPerGpu: 1100 }]);
  });

  it("takes the latest point in time, whatever the form of its date", () => {
    const [set] = decisionSets(
      [
        point("trt", "tp8", 4, [80, 200], { date: "2026-07-01T08:00:00Z" }),
        // 07:00 UTC, which sorts after 08:00Z as text
        point("trt", "tp8", 4, [82, 260], { date: "2026-07-01T12:00:00+05:00" }),
      ],
      "framework",
      () => [],
    );
    expect(set!.configurations[0]!.measured).toEqual([{ intvty: 80, tputPerGpu: 200 }]);
  });

  it("names the engine a serving stack runs", () => {
    expect(
      ["sglang", "dynamo-sglang", "mori-sglang", "dynamo-trt", "trt", "atom", "vllm"].map(engineOf),
    ).toEqual(["sglang", "sglang", "sglang", "trt", "trt", "atom", "vllm"]);
  });
});
