import { levelPlan, resolveBenchOptions } from "@infermark/bench";
import { planSweep, SweepSpec } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { benchOptionsFor } from "./measure-point.js";

function input(limits: Record<string, unknown>) {
  const spec = SweepSpec.parse({
    name: "t",
    model: "dsr1",
    hardware: "h200",
    framework: "vllm",
    precision: "fp8",
    scenarios: [{ isl: 1024, osl: 128 }],
    search: { tp: [8], concurrency: [4] },
    server: { kind: "external", baseUrl: "http://127.0.0.1:8000" },
    limits,
  });
  const plan = planSweep(spec);
  return {
    spec,
    specFingerprint: plan.specFingerprint,
    server: plan.servers[0]!,
    point: plan.points[0]!,
    baseUrl: "http://127.0.0.1:8000",
    ready: { models: ["m"], modelsBody: {}, readyS: 1 },
    provenance: { host: "h" },
    runId: "r",
  };
}

describe("benchOptionsFor", () => {
  it("measures the planned request count by default", () => {
    const o = resolveBenchOptions(benchOptionsFor(input({ requestsPerConcurrency: 3 })));
    expect(levelPlan(o, 4)).toEqual({
      mode: "concurrency",
      warmup: 8,
      requests: 12,
      concurrency: 4,
    });
  });

  it("measures for limits.durationS instead of a request count", () => {
    const o = resolveBenchOptions(benchOptionsFor(input({ durationS: 30 })));
    expect(levelPlan(o, 4)).toEqual({
      mode: "concurrency",
      warmup: 8,
      durationS: 30,
      concurrency: 4,
    });
  });
});
