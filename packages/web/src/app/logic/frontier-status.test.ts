import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, KEY_B } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { buildFrontierSeries } from "./frontier-series.js";
import { frontierStatus } from "./frontier-status.js";

const items = [...GROUP_A, ...GROUP_B];
const axes = { xName: "interactivity", yName: "tput/GPU" };

describe("frontierStatus", () => {
  it("counts the points of the visible groups", () => {
    const s = buildFrontierSeries(items, { ...DEFAULT_STATE, hidden: [KEY_B] });
    expect(frontierStatus(s, axes, false)).toBe("4 points in 1 of 2 groups");
  });

  it("says how many points are drawn when only the frontier is shown", () => {
    const s = buildFrontierSeries(items, { ...DEFAULT_STATE, frontierOnly: true });
    expect(frontierStatus(s, axes, true)).toBe(
      "5 of 6 points shown (frontier only) in 2 of 2 groups",
    );
  });

  it("names the points without a value on an axis", () => {
    const s = buildFrontierSeries(GROUP_A, { ...DEFAULT_STATE, y: "jPerToken" });
    expect(frontierStatus(s, { xName: "interactivity", yName: "J/token" }, false)).toBe(
      "0 points in 1 of 1 group; 4 points have no J/token or interactivity",
    );
  });

  it("says one point and one group in the singular", () => {
    const s = buildFrontierSeries(GROUP_A.slice(0, 1), DEFAULT_STATE);
    expect(frontierStatus(s, axes, false)).toBe("1 point in 1 of 1 group");
  });
});
