import { describe, expect, it } from "vitest";
import { DEFAULT_STATE } from "../state/view-state.js";
import { activeFilters } from "./active-filters.js";

describe("activeFilters", () => {
  it("lists the filters that narrow the view, in the controls' order, with what clears each", () => {
    expect(
      activeFilters({
        ...DEFAULT_STATE,
        precision: ["fp4"],
        hardware: ["h100", "h200"],
        workload: "1024/1024",
        disagg: "disagg",
        source: ["imported"],
        validOnly: true,
        asOf: "2026-01-31",
      }),
    ).toEqual([
      { label: "ISL/OSL", values: "1024/1024", clear: { workload: "all" }, scope: false },
      { label: "GPU", values: "h100, h200", clear: { hardware: [] }, scope: false },
      { label: "Precision", values: "fp4", clear: { precision: [] }, scope: false },
      { label: "Disaggregation", values: "disaggregated", clear: { disagg: "any" }, scope: false },
      { label: "Source", values: "imported", clear: { source: [] }, scope: true },
      { label: "Valid points only", values: "on", clear: { validOnly: false }, scope: true },
      { label: "As of date", values: "2026-01-31", clear: { asOf: "" }, scope: true },
    ]);
  });

  it("has none for the defaults, and no date filter in the trends view", () => {
    expect(activeFilters(DEFAULT_STATE)).toEqual([]);
    expect(activeFilters({ ...DEFAULT_STATE, view: "trends", asOf: "2026-01-31" })).toEqual([]);
  });
});
