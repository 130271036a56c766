import { describe, expect, it } from "vitest";
import type { TrendCommandResult } from "../../commands/trend.js";
import { gateNote } from "./print-trend-gate.js";

/** A trend result of one metric direction, gated at 5%. */
const result = (direction: "higher" | "lower") =>
  ({
    target: 40,
    y: direction === "higher" ? "tputPerGpu" : "costPerMillionTotal",
    direction,
    between: { from: "2026-11-27", to: "2026-11-28" },
    groups: [],
    warnings: [],
    gate: {
      failOnRegression: 5,
      allowMissing: false,
      passed: true,
      checked: 1,
      regressed: 0,
      missing: 0,
    },
  }) as TrendCommandResult;

describe("gateNote", () => {
  it("says how the value moved in the metric's words, and 'unchanged' when it did not move (it said 'dropped 0%')", () => {
    expect(gateNote(result("higher"), { verdict: "pass", worsePercent: 0 })).toBe(
      "pass: unchanged (limit 5%)",
    );
    expect(gateNote(result("higher"), { verdict: "pass", worsePercent: -2 })).toBe(
      "pass: rose 2% (limit 5%)",
    );
    expect(gateNote(result("higher"), { verdict: "regressed", worsePercent: 31.27 })).toBe(
      "regressed: dropped 31.27% (limit 5%)",
    );
    expect(gateNote(result("lower"), { verdict: "regressed", worsePercent: 45.5 })).toBe(
      "regressed: rose 45.5% (limit 5%)",
    );
    expect(
      gateNote(result("lower"), { verdict: "missing", reason: "not measured on 2026-11-28" }),
    ).toBe("missing: not measured on 2026-11-28");
  });
});
