import { describe, expect, it } from "vitest";
import { resolveTrendDays } from "./trend-days.js";
import { checkRegression, gateOf } from "./trend-gate.js";

describe("checkRegression", () => {
  const from = "2026-11-27";
  it("measures how much worse in the metric's direction, against the limit (more than it fails)", () => {
    expect(checkRegression({ from, fromValue: 100, toValue: 94 }, "higher", 5)).toEqual({
      verdict: "regressed",
      worsePercent: 6,
    });
    // exactly the limit passes, although 0.95 - 1 is -0.050000000000000044 in binary
    expect(checkRegression({ from, fromValue: 1, toValue: 0.95 }, "higher", 5).verdict).toBe(
      "pass",
    );
    expect(checkRegression({ from, fromValue: 1, toValue: 1.05 }, "lower", 5).verdict).toBe("pass");
    expect(checkRegression({ from, fromValue: 1, toValue: 1.06 }, "lower", 5).verdict).toBe(
      "regressed",
    );
    // a fall of a lower-is-better metric is better: negative worsening
    expect(checkRegression({ from, fromValue: 2, toValue: 1 }, "lower", 0)).toEqual({
      verdict: "pass",
      worsePercent: -50,
    });
  });
  it("is missing without a factor, or from a value with no relative change", () => {
    expect(checkRegression(null, "higher", 5, "not measured on 2026-11-28")).toEqual({
      verdict: "missing",
      reason: "not measured on 2026-11-28",
    });
    expect(checkRegression({ from, fromValue: 0, toValue: 1 }, "higher", 5).verdict).toBe(
      "missing",
    );
  });
  it("fails the gate on a regression, and on a missing group unless allowed", () => {
    const missing = { verdict: "missing", reason: "x" } as const;
    const pass = { verdict: "pass", worsePercent: 1 } as const;
    expect(gateOf([pass, missing], { failOnRegression: 5, allowMissing: false }).passed).toBe(
      false,
    );
    expect(gateOf([pass, missing], { failOnRegression: 5, allowMissing: true })).toEqual({
      failOnRegression: 5,
      allowMissing: true,
      passed: true,
      checked: 2,
      regressed: 0,
      missing: 1,
    });
  });
});

describe("resolveTrendDays", () => {
  const days = ["2026-11-28", "2026-11-26", "2026-11-27", "2026-11-28"];
  it("resolves first, previous and latest among the run days; keeps a day as it is", () => {
    expect(resolveTrendDays(days, { from: "previous", to: "latest" })).toEqual({
      from: "2026-11-27",
      to: "2026-11-28",
    });
    expect(resolveTrendDays(days, { from: "first", to: "2026-11-27" })).toEqual({
      from: "2026-11-26",
      to: "2026-11-27",
    });
    expect(resolveTrendDays(days, {})).toEqual({});
  });
  it("says why previous names no day", () => {
    expect(resolveTrendDays(["2026-11-28"], { from: "previous", to: "latest" })).toEqual({
      reason:
        "no date before the latest (2026-11-28) to compare with: the selected points have one date",
    });
  });
});
