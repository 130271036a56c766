import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, KEY_A } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { buildCompare } from "./compare-bars.js";
import { compareStatus } from "./compare-status.js";

const items = [...GROUP_A, ...GROUP_B];

describe("compareStatus", () => {
  it("counts the groups shown with a value at the target", () => {
    const r = buildCompare(items, { ...DEFAULT_STATE, target: 20 });
    expect(compareStatus(r, 2, "20.0 tok/s/user")).toBe(
      "2 of 2 groups have a value at 20.0 tok/s/user",
    );
  });

  it("says one group in the singular, the verb agreeing with the groups that have one", () => {
    // it said "1 of 1 groups have a value", and "1 of 2 groups have a value"
    const one = buildCompare(GROUP_A, { ...DEFAULT_STATE, target: 20 });
    expect(compareStatus(one, 1, "20.0 tok/s/user")).toBe(
      "1 of 1 group has a value at 20.0 tok/s/user",
    );
    // A's frontier ends at 30: only B reaches 35
    const r = buildCompare(items, { ...DEFAULT_STATE, target: 35 });
    expect(compareStatus(r, 2, "35.0 tok/s/user")).toBe(
      "1 of 2 groups has a value at 35.0 tok/s/user",
    );
  });

  it("says how many more groups the legend hides", () => {
    const r = buildCompare(items, { ...DEFAULT_STATE, target: 20, hidden: [KEY_A] });
    expect(compareStatus(r, 2, "20.0 tok/s/user")).toBe(
      "1 of 1 group has a value at 20.0 tok/s/user (1 more hidden in the legend)",
    );
  });
});
