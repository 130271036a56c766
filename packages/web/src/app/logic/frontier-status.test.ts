import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, KEY_B, makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { buildFrontierSeries } from "./frontier-series.js";
import { frontierStatus } from "./frontier-status.js";

const items = [...GROUP_A, ...GROUP_B];
const axes = { xName: "interactivity", yName: "tput/GPU" };
const energyAxes = { xName: "interactivity", yName: "J/token" };

describe("frontierStatus", () => {
  it("counts the points of the drawn groups and says how many the legend hides", () => {
    const s = buildFrontierSeries(items, { ...DEFAULT_STATE, hidden: [KEY_B] });
    // "in 1 of 2 groups" alone did not say why the other group was not drawn
    expect(frontierStatus(s, axes, false)).toBe(
      "4 points in 1 of 2 groups; 1 hidden in the legend",
    );
  });

  it("says how many points are drawn when only the frontier is shown", () => {
    const s = buildFrontierSeries(items, { ...DEFAULT_STATE, frontierOnly: true });
    expect(frontierStatus(s, axes, true)).toBe(
      "5 of 6 points shown (frontier only) in 2 of 2 groups",
    );
  });

  it("does not count a group without a point on the axes as drawn, and names the metric it lacks", () => {
    // was "0 points in 1 of 1 group; 4 points have no J/token or interactivity": the group drew nothing
    const s = buildFrontierSeries(GROUP_A, { ...DEFAULT_STATE, y: "jPerToken" });
    expect(frontierStatus(s, energyAxes, false)).toBe(
      "0 points in 0 of 1 group; 1 group has no J/token",
    );
  });

  it("a sparse metric: the points are in the few groups that have it, the others are counted apart", () => {
    // InferenceX's J/token: 13 points in 3 of 60 groups was reported as "13 points in 60 of 60 groups"
    const measured = [
      makeItem({
        id: "m1",
        hardware: "mi355x",
        concurrency: 1,
        intvty: 40,
        tput: 900,
        jPerToken: 1.2,
      }),
      makeItem({
        id: "m2",
        hardware: "mi355x",
        concurrency: 2,
        intvty: 80,
        tput: 600,
        jPerToken: 2.3,
      }),
      // a point of a drawn group without J/token: counted apart from the groups without any
      makeItem({ id: "m3", hardware: "mi355x", concurrency: 4, intvty: 90, tput: 400 }),
    ];
    const s = buildFrontierSeries([...items, ...measured], { ...DEFAULT_STATE, y: "jPerToken" });
    expect(frontierStatus(s, energyAxes, false)).toBe(
      "2 points in 1 of 3 groups; 2 groups have no J/token; 1 more point has no J/token or interactivity",
    );
  });

  it("says one point and one group in the singular", () => {
    const s = buildFrontierSeries(GROUP_A.slice(0, 1), DEFAULT_STATE);
    expect(frontierStatus(s, axes, false)).toBe("1 point in 1 of 1 group");
  });
});
