import { PlanError, planSweep, SweepSpec } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { checkBenchOptions } from "./check-bench-options.js";

const plan = (bench: Record<string, unknown>) =>
  planSweep(
    SweepSpec.parse({
      name: "t",
      model: "dsr1",
      hardware: "h200",
      framework: "vllm",
      precision: "fp8",
      scenarios: [{ isl: 1024, osl: 128, workload: "multi-turn", turns: 2 }],
      search: { tp: [8], concurrency: [4] },
      server: { kind: "external", baseUrl: "http://127.0.0.1:8000" },
      bench,
    }),
  );

describe("checkBenchOptions with a multi-turn scenario", () => {
  it("says where a spec sets the session options", () => {
    expect(() => checkBenchOptions(plan({ turns: 3 }))).toThrow(
      new PlanError(
        "bench: the sweep sets turns from scenarios[].turns (multi-turn); remove it from bench",
      ),
    );
  });

  it("refuses at plan time what the multi-turn workload refuses", () => {
    expect(() => checkBenchOptions(plan({ tokenIds: true }))).toThrow(
      new PlanError(
        "bench.tokenIds: the multi-turn workload sends text (its history holds replies)",
      ),
    );
    expect(() => checkBenchOptions(plan({ api: "chat", prefixLength: 32 }))).not.toThrow();
  });
});
