import { levelPlan, resolveBenchOptions } from "@infermark/bench";
import { planSweep, SweepSpec } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { benchOptionsFor } from "./measure-point.js";

function input(limits: Record<string, unknown>, scenario: Record<string, unknown> = {}) {
  const spec = SweepSpec.parse({
    name: "t",
    model: "dsr1",
    hardware: "h200",
    framework: "vllm",
    precision: "fp8",
    scenarios: [{ isl: 1024, osl: 128, ...scenario }],
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

  it("passes a multi-turn scenario to the load generator as sessions", () => {
    const session = {
      workload: "multi-turn",
      turns: 3,
      thinkTimeMs: 500,
      thinkTime: "exponential",
      prefixLength: 64,
    };
    const options = benchOptionsFor(input({}, session));
    expect(options).toMatchObject({ isl: 1024, osl: 128, ...session });
    const o = resolveBenchOptions(options);
    expect([o.workload, o.turns, o.thinkTimeMs, o.thinkTime, o.prefixLength]).toEqual([
      "multi-turn",
      3,
      500,
      "exponential",
      64,
    ]);
    // a random scenario sends no session option, which the load generator would refuse
    const random = benchOptionsFor(input({}));
    expect(random.workload).toBe("random");
    expect([random.turns, random.thinkTimeMs, random.thinkTime]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
